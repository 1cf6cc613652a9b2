// One changing x-todo at a time per data file. The persister already merges concurrent
// writes cell by cell, but two `add`s that load the same list would both pick the same
// next number and the later would overwrite the earlier todo. Holding this lock from load
// to save makes load-change-save one step; `list` and `watch` never take it.
import {mkdir, readFile, stat, unlink, writeFile} from 'node:fs/promises';
import {basename, dirname, join} from 'node:path';
import {CliError} from './cliError';

const WAIT_MS = 10_000;
/** A lock older than this belongs to a hung command: x-todo commands take milliseconds. */
const STALE_AFTER_MS = 60_000;
/** A lock still empty after this long was left by a command killed while creating it. */
const EMPTY_STALE_AFTER_MS = 2_000;

const codeOf = (error: unknown) => (error as {code?: unknown}).code;

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return codeOf(error) === 'EPERM';
  }
};

const isStale = async (lockPath: string): Promise<boolean> => {
  try {
    const [text, stats] = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath)]);
    const age = Date.now() - stats.mtimeMs;
    const pid = Number(text.trim());
    return (
      age > STALE_AFTER_MS ||
      (text.trim() === '' ? age > EMPTY_STALE_AFTER_MS : !(pid > 0 && isAlive(pid)))
    );
  } catch (error) {
    if (codeOf(error) === 'ENOENT') {
      return false; // released meanwhile: just try again
    }
    throw error;
  }
};

/** The lock file of a data file: `.<name>.x-todo.lock` next to it. */
export const commandLockPath = (filePath: string): string =>
  join(dirname(filePath), `.${basename(filePath)}.x-todo.lock`);

/**
 * Runs `action` while holding the data file's command lock (waiting up to 10 s for another
 * x-todo to finish; taking over a lock whose process is gone).
 *
 * @example
 * ```ts
 * await withCommandLock('/tmp/todos.json', () => changeTodos(...));
 * ```
 */
export const withCommandLock = async <Result>(
  filePath: string,
  action: () => Promise<Result>,
): Promise<Result> => {
  const lockPath = commandLockPath(filePath);
  await mkdir(dirname(filePath), {recursive: true});
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      await writeFile(lockPath, String(process.pid), {flag: 'wx'});
      break;
    } catch (error) {
      if (codeOf(error) !== 'EEXIST') {
        throw error;
      }
    }
    if (await isStale(lockPath)) {
      await unlink(lockPath).catch(() => {});
    } else if (Date.now() > deadline) {
      throw new CliError(`another x-todo has been changing ${filePath} for 10 s (${lockPath})`);
    } else {
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
    }
  }
  try {
    return await action();
  } finally {
    await unlink(lockPath).catch(() => {});
  }
};
