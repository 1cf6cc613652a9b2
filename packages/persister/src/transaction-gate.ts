// Storage news is applied to the store only between the user's transactions:
// applying it inside one would make the user's rollback undo it, and the
// persister's own nested transaction would hide the user's writes. The gate
// tells when no user transaction is open. (So a persister call awaited inside
// an open `startTransaction()` … `finishTransaction()` waits for that finish.)
import type {Store} from '@x/store';

export type TransactionGate = {
  /** Whether a user transaction is open now. */
  isOpen(): boolean;
  /**
   * Resolves when the open user transaction finishes. The caller runs a
   * microtask later, when the user may have opened another one: so wait in a
   * loop, `while (gate.isOpen()) await gate.nextClose();`, then act at once.
   */
  nextClose(): Promise<void>;
  /** Stops listening to the store. */
  close(): void;
};

/** `isOwn` tells whether a transaction that starts is the persister's own. */
export const createTransactionGate = (store: Store, isOwn: () => boolean): TransactionGate => {
  let open = false;
  let waiters: (() => void)[] = [];
  const release = () => {
    const released = waiters;
    waiters = [];
    for (const resolve of released) resolve();
  };
  const startId = store.addStartTransactionListener(() => {
    if (!isOwn()) open = true;
  });
  const finishId = store.addDidFinishTransactionListener(() => {
    if (!open) return;
    open = false;
    release();
  });
  return {
    isOpen: () => open,
    nextClose: () => new Promise<void>((resolve) => waiters.push(resolve)),
    close: () => {
      store.delListener(startId).delListener(finishId);
      release();
    },
  };
};
