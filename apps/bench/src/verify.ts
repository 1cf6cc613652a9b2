// Checking results: a benchmark figure only counts when the result is right.
import type {Persister} from '@x/persister';

/** Thrown when a scenario's result is wrong: the runner reports WRONG, not a time. */
export class WrongResult extends Error {
  override name = 'WrongResult';
}

/** Thrown when the library under test does not provide what a scenario needs yet. */
export class NotReady extends Error {
  override name = 'NotReady';
}

export function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new WrongResult(message);
}

// Contents compare equal whatever order their rows were inserted in, and whatever
// prototype their objects have (TinyBase returns null-prototype objects).
export {canonicalJson, sameContent} from '@x/persister';

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `condition` (sync or async) every `everyMs` until it is true; returns
 * the `performance.now()` at which it first held, or `undefined` after `timeoutMs`.
 */
export const waitUntil = async (
  condition: () => boolean | Promise<boolean>,
  {timeoutMs, everyMs = 1}: {timeoutMs: number; everyMs?: number},
): Promise<number | undefined> => {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await condition()) return performance.now();
    if (performance.now() > deadline) return undefined;
    await sleep(everyMs);
  }
};

/**
 * Waits until a persister has finished every write it has started or queued:
 * its queue drained (an empty action scheduled behind them has run), its status
 * is idle, and no new save began meanwhile. The status alone is not enough:
 * TinyBase sets it to idle after each of many queued saves. Returns the
 * `performance.now()` when settled, or `undefined` after `timeoutMs`.
 */
export const waitSettled = async (
  persister: Persister,
  timeoutMs = 30_000,
): Promise<number | undefined> => {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const saves = persister.getStats().saves;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, deadline - performance.now()), false);
    });
    const drained = persister.schedule(async () => {}).then(() => true);
    const inTime = await Promise.race([drained, late]);
    clearTimeout(timer);
    if (!inTime) return undefined;
    await sleep(0);
    const now = performance.now();
    if (persister.getStatus() === 0 && persister.getStats().saves === saves) return now;
    if (now > deadline) return undefined;
  }
};
