// Which version of a file is on disk, cheaply: a write by rename makes a new inode,
// a write in place changes the size or the nanosecond mtime. Rename keeps both, so the
// version read from our temporary file is the version of the file after we renamed it.
import type {BigIntStats} from 'node:fs';
import {stat} from 'node:fs/promises';
import {hasCode} from './errorCode';

export type FileVersion = {dev: bigint; ino: bigint; size: bigint; mtimeNs: bigint} | 'missing';

export const versionOf = (stats: BigIntStats): FileVersion => ({
  dev: stats.dev,
  ino: stats.ino,
  size: stats.size,
  mtimeNs: stats.mtimeNs,
});

export const sameVersion = (a: FileVersion | undefined, b: FileVersion | undefined): boolean =>
  a === undefined || b === undefined
    ? false
    : a === 'missing' || b === 'missing'
      ? a === b
      : a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs;

/** The version of the file at `path` now, `'missing'` if there is none. */
export const statVersion = async (path: string): Promise<FileVersion> => {
  try {
    return versionOf(await stat(path, {bigint: true}));
  } catch (error) {
    if (hasCode(error, 'ENOENT')) {
      return 'missing';
    }
    throw error;
  }
};
