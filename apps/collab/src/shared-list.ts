// The shared list's data: table 'items', one row per item, under random ids so
// that two people adding at once never pick the same row.
import type {Id, Store} from '@x/store';

export const ITEMS = 'items';

/** A random row id that other tabs cannot also pick (works outside secure contexts too). */
export const newItemId = (): Id =>
  Array.from(crypto.getRandomValues(new Uint8Array(9)), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join('');

/** Adds an item at the end of the list; blank text adds nothing. */
export const addItem = (store: Store, text: string): void => {
  const trimmed = text.trim();
  if (trimmed !== '') {
    store.setRow(ITEMS, newItemId(), {text: trimmed, done: false, created: Date.now()});
  }
};

export const setDone = (store: Store, id: Id, done: boolean): void => {
  store.setCell(ITEMS, id, 'done', done);
};

export const removeItem = (store: Store, id: Id): void => {
  store.delRow(ITEMS, id);
};

/** Item ids, oldest first. */
export const itemIds = (store: Store): Id[] => store.getSortedRowIds(ITEMS, 'created');
