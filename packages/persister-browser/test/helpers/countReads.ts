// Counts reads of IndexedDB databases (readonly transactions, as a load opens
// one) from now on, in every tab: a persister's getStats().loads also counts
// content heard from other tabs, so it cannot tell a re-read from a message.
import {vi} from 'vitest';

/** Starts counting; `count()` is the number of readonly transactions opened since. */
export const countReads = (): {count(): number} => {
  const transaction = vi.spyOn(IDBDatabase.prototype, 'transaction');
  return {
    count: () =>
      transaction.mock.calls.filter(([, mode]) => mode === undefined || mode === 'readonly').length,
  };
};
