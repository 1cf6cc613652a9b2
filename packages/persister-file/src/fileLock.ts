// A short advisory lock between our own writers (other persisters, in this process or
// others) around "check the file is still the version we know, then rename over it".
// Without it two writers could both pass the check and the first rename would be lost.
// It is held for a stat and a rename only; the slow part (write + fsync) happens before.
import {link, open, unlink, writeFile} from 'node:fs/promises';
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

type LockState = {ino: bigint; text: string; ageMs: number};

/** The lock file's inode, text and age, read through one handle; `undefined` when there is none. */
const readLock = async (path: string): Promise<LockState | undefined> => {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    ignoreMissing(error);
    return undefined;
  }
  try {
    const stats = await handle.stat({bigint: true});
    const text = await handle.readFile('utf8');
    return {ino: stats.ino, text, ageMs: Date.now() - Number(stats.mtimeMs)};
  } finally {
    await handle.close();
  }
};

/** Its holder is gone: a pid of no live process (or garbage), or held far too long. */
const isStale = (lock: LockState) =>
  lock.ageMs > STALE_AFTER_MS || !isProcessAlive(Number(lock.text.trim()));

/**
 * Removes the lock file if its holder is gone (dead pid, garbage, or too old). Returns
 * true when the lock is free or was freed.
 *
 * Between reading a stale lock and unlinking it, another remover may unlink it and a
 * writer take a fresh lock under the same name: unlinking then would let two writers
 * in. So removers take turns (an exclusive `<lock>.break` file), and under it unlink
 * only if the lock is still the very file judged stale (same inode, same text). A lock
 * file can only go away through a remover or its holder, so it cannot be replaced
 * between that check and the unlink. A remover that dies holding `.break` leaves it
 * behind; it is removed like a stale lock (that rare step is not itself guarded).
 */
export const removeStaleLock = async (lockPath: string): Promise<boolean> => {
  const judged = await readLock(lockPath);
  if (judged === undefined) return true;
  if (!isStale(judged)) return false;
  const breakPath = `${lockPath}.break`;
  try {
    await writeFile(breakPath, String(process.pid), {flag: 'wx'});
  } catch (error) {
    if (!hasCode(error, 'EEXIST')) throw error;
    // Another remover is at it (or died at it): try again shortly.
    const other = await readLock(breakPath);
    if (other !== undefined && isStale(other)) await unlink(breakPath).catch(ignoreMissing);
    return false;
  }
  try {
    const now = await readLock(lockPath);
    if (now === undefined) return true;
    if (now.ino !== judged.ino || now.text !== judged.text) return false;
    await unlink(lockPath).catch(ignoreMissing);
    return true;
  } finally {
    await unlink(breakPath).catch(ignoreMissing);
  }
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
