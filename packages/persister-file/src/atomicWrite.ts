// The durable half of a save: a complete temporary file next to the target, flushed to
// disk before it may replace anything, and the folder flushed after the rename.
import {constants} from 'node:fs';
import {copyFile, link, open, stat, unlink} from 'node:fs/promises';
import {join} from 'node:path';
import {hasCode} from './errorCode';
import {type FileVersion, versionOf} from './fileVersion';
import {corruptFilePath, tempFileName} from './tempFiles';

export type TempFile = {path: string; version: FileVersion};

/** Permission bits of `path`, or undefined when it does not exist. */
const modeOf = async (path: string): Promise<number | undefined> => {
  try {
    return (await stat(path)).mode & 0o7777;
  } catch (error) {
    if (hasCode(error, 'ENOENT')) {
      return undefined;
    }
    throw error;
  }
};

/**
 * Writes `text` to a new temporary file in `folder`, with the mode `target` has now
 * (a new file gets 0o666 less the umask, as any new file), fsynced. Removes it on failure.
 */
export const writeTempFile = async (
  folder: string,
  name: string,
  target: string,
  text: string,
): Promise<TempFile> => {
  const mode = await modeOf(target);
  const path = join(folder, tempFileName(name));
  const handle = await open(path, 'wx', mode ?? 0o666);
  try {
    if (mode !== undefined) {
      await handle.chmod(mode); // exact: the umask applied to open's mode
    }
    await handle.writeFile(text, 'utf8');
    await handle.sync();
    const version = versionOf(await handle.stat({bigint: true}));
    await handle.close();
    return {path, version};
  } catch (error) {
    await handle.close().catch(() => {});
    await unlink(path).catch(() => {});
    throw error;
  }
};

/** Flushes a folder's entries (the rename) to disk, where the platform allows it. */
export const syncFolder = async (folder: string): Promise<void> => {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch (error) {
    // Some platforms and file systems cannot open or fsync a folder: nothing to do there.
    if (!['EISDIR', 'EINVAL', 'EPERM', 'EACCES', 'ENOTSUP'].some((c) => hasCode(error, c))) {
      throw error;
    }
  } finally {
    await handle?.close();
  }
};

/**
 * Keeps the file at `target` under `<target>.corrupt-<time>` without ever removing it:
 * a hard link (the data stays reachable at every instant), or a copy where links are not
 * supported. The caller then renames the new content over `target`.
 */
export const keepAside = async (target: string): Promise<string> => {
  const now = new Date();
  for (let attempt = 0; attempt < 1000; attempt++) {
    const aside = corruptFilePath(target, now, attempt);
    try {
      await link(target, aside);
      return aside;
    } catch (error) {
      if (hasCode(error, 'EEXIST')) {
        continue;
      }
      try {
        await copyFile(target, aside, constants.COPYFILE_EXCL);
        return aside;
      } catch (copyError) {
        if (hasCode(copyError, 'EEXIST')) {
          continue;
        }
        throw copyError;
      }
    }
  }
  throw new Error(`Could not find a free name to keep ${target} aside`);
};
