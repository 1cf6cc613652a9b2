// The two timers of autosave: the optional debounce of local changes, and the
// backoff before trying again after a failed read or write.
import {retryDelay} from './retry-delay';
import type {PersisterOptions} from './types';

export type AutoSaveTimers = {
  /** A local change asks for a save: now, or debounced when `saveDelayMs` is set. */
  request(): void;
  /** Queues a debounced save now, if one waits. */
  flush(): void;
  /** Something failed: try again after the next backoff delay (one timer at a time). */
  retryLater(): void;
  /** A read or write succeeded: the backoff starts over. */
  succeeded(): void;
  /** Clears both timers. */
  clear(): void;
};

export const createAutoSaveTimers = (
  {saveDelayMs = 0, maxSaveDelayMs, retry: retryOptions}: PersisterOptions,
  save: () => void,
  retry: () => void,
): AutoSaveTimers => {
  let debounceTimer: ReturnType<typeof setTimeout> | undefined;
  let debounceStartedAt: number | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;

  const clearDebounce = () => {
    clearTimeout(debounceTimer);
    debounceTimer = debounceStartedAt = undefined;
  };

  return {
    request() {
      if (!(saveDelayMs > 0)) return save();
      const now = Date.now();
      debounceStartedAt ??= now;
      const maxDelay = maxSaveDelayMs ?? saveDelayMs * 4;
      clearTimeout(debounceTimer);
      debounceTimer = setTimeout(
        () => {
          clearDebounce();
          save();
        },
        Math.max(0, Math.min(saveDelayMs, debounceStartedAt + maxDelay - now)),
      );
    },
    flush() {
      if (debounceTimer === undefined) return;
      clearDebounce();
      save();
    },
    retryLater() {
      if (retryOptions === false || retryTimer !== undefined) return;
      retryTimer = setTimeout(
        () => {
          retryTimer = undefined;
          retry();
        },
        retryDelay(failures++, retryOptions ?? {}),
      );
    },
    succeeded() {
      failures = 0;
    },
    clear() {
      clearDebounce();
      clearTimeout(retryTimer);
      retryTimer = undefined;
      failures = 0;
    },
  };
};
