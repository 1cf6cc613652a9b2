// A short advisory lock between our own writers (other persisters, in this process or
// others) around "check the file is still the version we know, then rename over it".
// Without it two writers could both pass the check and the first rename would be lost.
// It is held for a stat and a rename only; the slow part (write + fsync) happens before.
import {link, open, readFile, stat, unlink, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {hasCode} from './errorCode';
import {isProcessAlive} from './processAlive';
import {lockFileName, tempFileName} from './tempFiles';

/** A holder that has not finished in this long is taken to be hung. */
const STALE_AFTER_MS = 30_000;
const WAIT_TIMEOUT_MS = 5_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const ignoreMissing = (error: unknown) => {
  if (!hasCode(error, 'ENOENT')) {
    throw error;
  }
};

/**
 * Removes the lock file if its holder is gone (dead pid, or too old). Returns true when
 * the lock is free or was freed.
 */
export const removeStaleLock = async (lockPath: string): Promise<boolean> => {
  let text: string;
  let ageMs: number;
  try {
    [text, ageMs] = await Promise.all([
      readFile(lockPath, 'utf8'),
      stat(lockPath).then((stats) => Date.now() - stats.mtimeMs),
    ]);
  } catch (error) {
    if (hasCode(error, 'ENOENT')) {
      return true;
    }
    throw error;
  }
  const stale = ageMs > STALE_AFTER_MS || !isProcessAlive(Number(text.trim()));
  if (stale) {
    await unlink(lockPath).catch(ignoreMissing);
  }
  return stale;
};

/**
 * Creates the lock file with our pid already in it (so it is never seen empty): the pid
 * goes into a temporary file that is hard-linked as the lock, which fails if the lock
 * exists. Where hard links are not supported, an exclusive create is the fallback.
 */
const tryCreateLock = async (lockPath: string, temp: string): Promise<boolean> => {
  await writeFile(temp, String(process.pid), {flag: 'wx'});
  try {
    await link(temp, lockPath);
    return true;
  } catch (error) {
    if (hasCode(error, 'EEXIST')) {
      return false;
    }
    if (!['EPERM', 'ENOTSUP', 'ENOSYS', 'EXDEV'].some((code) => hasCode(error, code))) {
      throw error;
    }
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid)).finally(() => handle.close());
      return true;
    } catch (openError) {
      if (hasCode(openError, 'EEXIST')) {
        return false;
      }
      throw openError;
    }
  } finally {
    await unlink(temp).catch(ignoreMissing);
  }
};

/**
 * Takes the lock of the data file `name` in `folder` (waiting a little while another
 * writer holds it) and returns its release.
 */
export const acquireLock = async (folder: string, name: string): Promise<() => Promise<void>> => {
  const lockPath = join(folder, lockFileName(name));
  const deadline = Date.now() + WAIT_TIMEOUT_MS;
  for (;;) {
    if (await tryCreateLock(lockPath, join(folder, tempFileName(name)))) {
      return () => unlink(lockPath).catch(ignoreMissing);
    }
    if (!(await removeStaleLock(lockPath))) {
      if (Date.now() > deadline) {
        throw new Error(`Timed out waiting for the lock file ${lockPath}`);
      }
      await sleep(1 + Math.random() * 4);
    }
  }
};
