// Exponential backoff with "equal jitter": half the delay is fixed, half random,
// so retries of many clients spread out but never come back immediately.
import type {RetryOptions} from './types';

export const DEFAULT_RETRY_INITIAL_DELAY_MS = 250;
export const DEFAULT_RETRY_MAX_DELAY_MS = 30_000;

/** The delay before retry number `attempt` (0 for the first retry). */
export const retryDelay = (
  attempt: number,
  {
    initialDelayMs = DEFAULT_RETRY_INITIAL_DELAY_MS,
    maxDelayMs = DEFAULT_RETRY_MAX_DELAY_MS,
  }: RetryOptions,
  random: () => number = Math.random,
): number => {
  const ceiling = Math.min(maxDelayMs, initialDelayMs * 2 ** Math.min(attempt, 30));
  return ceiling / 2 + (random() * ceiling) / 2;
};
