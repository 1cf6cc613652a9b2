// The lock around "check the version, then rename" after a crash: a stale lock
// (its writer is dead) is removed, but never a fresh lock that another writer
// took meanwhile. Real files, many writers racing in one process (their fs
// calls interleave on libuv's threads), each checking that it holds the lock alone.
import {readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {acquireLock, removeStaleLock} from '../src/fileLock';
import {lockFileName} from '../src/tempFiles';
import {makeTempFolder, removeTempFolders} from './support/tempFolder';

afterEach(removeTempFolders);

/** A pid no process has (above Linux's pid_max). */
const DEAD_PID = 2 ** 30;

describe('stale lock removal', () => {
  it('never lets two writers hold the lock when they find a crashed writer’s lock at once (60 rounds of 8 writers)', async () => {
    const folder = await makeTempFolder();
    const lockPath = join(folder, lockFileName('store.json'));
    let maxHolders = 0;
    for (let round = 0; round < 60; round++) {
      await writeFile(lockPath, String(DEAD_PID));
      let holders = 0;
      await Promise.all(
        Array.from({length: 8}, async (_, writer) => {
          // Staggered, so that some writers read the stale lock while others already replace it.
          await new Promise((resolve) => setTimeout(resolve, writer % 4));
          const release = await acquireLock(folder, 'store.json');
          holders++;
          maxHolders = Math.max(maxHolders, holders);
          // What a writer does under the lock: a stat and a rename, a few fs calls.
          expect(await readFile(lockPath, 'utf8')).toBe(String(process.pid));
          await new Promise((resolve) => setTimeout(resolve, 1));
          holders--;
          await release();
        }),
      );
    }
    expect(maxHolders).toBe(1);
  });

  it('removes a lock with garbage in it (no pid), and leaves a live writer’s lock', async () => {
    const folder = await makeTempFolder();
    const lockPath = join(folder, lockFileName('store.json'));
    await writeFile(lockPath, '\u0000garbage\n');
    expect(await removeStaleLock(lockPath)).toBe(true);
    await writeFile(lockPath, String(process.pid));
    expect(await removeStaleLock(lockPath)).toBe(false);
    expect(await readFile(lockPath, 'utf8')).toBe(String(process.pid));
  });
});
