// Writes replace the file a symbolic link points to, never the link itself.
import {lstat, readlink} from 'node:fs/promises';
import {dirname, resolve} from 'node:path';
import {hasCode} from './errorCode';

const MAX_LINK_HOPS = 40;

/**
 * The absolute path of the file that `path` stands for: itself, or the end of its
 * chain of symbolic links (which may not exist yet: a dangling link is followed too).
 */
export const resolveTarget = async (path: string): Promise<string> => {
  let current = resolve(path);
  for (let hop = 0; hop < MAX_LINK_HOPS; hop++) {
    let isLink: boolean;
    try {
      isLink = (await lstat(current)).isSymbolicLink();
    } catch (error) {
      // Nothing there (or a file where a folder should be): the path is its own target.
      if (hasCode(error, 'ENOENT') || hasCode(error, 'ENOTDIR')) {
        return current;
      }
      throw error;
    }
    if (!isLink) {
      return current;
    }
    current = resolve(dirname(current), await readlink(current));
  }
  throw new Error(`Too many levels of symbolic links: ${path}`);
};
