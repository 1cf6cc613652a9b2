// Draws the list from the store; every control writes to the store, never to the DOM.
import type {Store} from '@x/store';
import {ITEMS, itemIds, removeItem, setDone} from './shared-list';

/** Replaces the children of `list` with one entry per item. */
export const renderList = (store: Store, list: HTMLUListElement): void => {
  list.replaceChildren(
    ...itemIds(store).map((id) => {
      const done = store.getCell(ITEMS, id, 'done') === true;
      const item = document.createElement('li');
      item.dataset.testid = 'item';
      item.dataset.id = id;
      item.classList.toggle('done', done);
      const check = document.createElement('input');
      check.type = 'checkbox';
      check.checked = done;
      check.ariaLabel = 'done';
      check.addEventListener('change', () => setDone(store, id, check.checked));
      const text = document.createElement('span');
      text.textContent = String(store.getCell(ITEMS, id, 'text') ?? '');
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.textContent = '✕';
      remove.ariaLabel = 'remove';
      remove.addEventListener('click', () => removeItem(store, id));
      item.append(check, text, remove);
      return item;
    }),
  );
};
