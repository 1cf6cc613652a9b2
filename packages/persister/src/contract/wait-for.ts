// Bounded polling for effects that take a backend some time (a file watcher,
// a poll interval): never an open-ended loop.

/**
 * Resolves once `check` resolves truthy; a check that throws counts as "not
 * yet" (storage may be unreadable until the awaited write). Rejects after
 * `timeoutMs`, naming `what` and the last error.
 *
 * @example
 * ```ts
 * await waitFor(async () => (await storage.read()) !== undefined, 2000, 'the first save');
 * ```
 */
export const waitFor = async (
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const cause = lastError === undefined ? '' : ` (last check threw: ${String(lastError)})`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};
