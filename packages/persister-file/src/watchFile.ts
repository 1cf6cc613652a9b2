// Autoload's ears: watching the FOLDER (a watch on the file itself goes deaf when an
// editor, or another persister, replaces the file by rename), filtered to the file's name,
// debounced so that a burst of events costs one read.
import {type FSWatcher, watch} from 'node:fs';
import {basename, dirname} from 'node:path';

export type FileWatcher = {close(): void};

export type WatchOptions = {
  /** Quiet time after the last event before `onChange` runs. */
  debounceMs: number;
  /** A steady stream of events still produces a call at least this often. */
  maxWaitMs: number;
  onError: (error: unknown) => void;
};

/** Calls `onChange` (debounced) whenever any of `paths` may have changed. */
export const watchFiles = (
  paths: string[],
  onChange: () => void,
  {debounceMs, maxWaitMs, onError}: WatchOptions,
): FileWatcher => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let burstStartedAt = 0;
  const fire = () => {
    timer = undefined;
    onChange();
  };
  const schedule = () => {
    const now = Date.now();
    if (timer === undefined) {
      burstStartedAt = now;
    } else {
      clearTimeout(timer);
    }
    timer = setTimeout(fire, Math.max(0, Math.min(debounceMs, burstStartedAt + maxWaitMs - now)));
  };
  const watchers: FSWatcher[] = [];
  const close = () => {
    clearTimeout(timer);
    timer = undefined;
    for (const watcher of watchers) {
      watcher.close();
    }
  };
  try {
    for (const path of paths) {
      const name = basename(path);
      const watcher = watch(dirname(path), (_event, changed) => {
        // Some platforms omit the name: then any change in the folder may be ours.
        if (changed === null || changed.toString() === name) {
          schedule();
        }
      });
      watcher.on('error', onError);
      watchers.push(watcher);
    }
  } catch (error) {
    close();
    throw error;
  }
  return {close};
};
