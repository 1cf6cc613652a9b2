// Errors are loud but never fatal: a throwing onIgnoredError must not break
// the queue that called it.
import type {OnIgnoredError} from './types';

/**
 * Returns a function that hands an error to `onIgnoredError`, else to
 * console.error, and never throws. Backends use it for errors they meet
 * outside the core's calls (a file watcher, a poll, a message from another tab).
 *
 * @example
 * ```ts
 * const report = createErrorReporter(onIgnoredError);
 * watcher.on('error', report);
 * ```
 */
export const createErrorReporter =
  (onIgnoredError?: OnIgnoredError) =>
  (error: unknown): void => {
    try {
      if (onIgnoredError) onIgnoredError(error);
      else console.error(error);
    } catch (reportingError) {
      try {
        console.error(reportingError);
      } catch {
        // Nothing left to tell: the error channel itself is broken.
      }
    }
  };
