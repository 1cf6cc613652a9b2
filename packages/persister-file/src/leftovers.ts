// Cleans up after a writer that was killed mid-write: its temporary files (and a lock
// it held). Only files of our own pattern for this data file, and only when their
// writer's process is gone, so a live writer in another process is never disturbed.
import {readdir, unlink} from 'node:fs/promises';
import {join} from 'node:path';
import {hasCode} from './errorCode';
import {removeStaleLock} from './fileLock';
import {isProcessAlive} from './processAlive';
import {lockFileName, tempFileOwner} from './tempFiles';

/** Removes leftovers of dead writers for the data file `name` in `folder`; returns them. */
export const removeLeftovers = async (folder: string, name: string): Promise<string[]> => {
  let entries: string[];
  try {
    entries = await readdir(folder);
  } catch (error) {
    // No folder (yet), or a file where it should be: nothing was left there.
    if (hasCode(error, 'ENOENT') || hasCode(error, 'ENOTDIR')) {
      return [];
    }
    throw error;
  }
  const removed: string[] = [];
  for (const entry of entries) {
    const owner = tempFileOwner(entry, name);
    if (owner !== undefined && owner !== process.pid && !isProcessAlive(owner)) {
      try {
        await unlink(join(folder, entry));
        removed.push(entry);
      } catch (error) {
        if (!hasCode(error, 'ENOENT')) {
          throw error;
        }
      }
    }
  }
  if (entries.includes(lockFileName(name))) {
    await removeStaleLock(join(folder, lockFileName(name)));
  }
  return removed;
};
