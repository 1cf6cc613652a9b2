// @vitest-environment happy-dom
// A Web Storage save is a compare-and-set: what another tab wrote since this
// persister last read or wrote the key is never overwritten, and neither is
// another program's data under the key. Tabs as in helpers/tabs.ts.
import {createStore} from '@x/store';
import {afterEach, describe, expect, it} from 'vitest';
import {createLocalPersister} from '../src';
import {createStoragePersister} from '../src/storagePersister';
import {createTabs} from './helpers/tabs';
import {waitIdle} from './helpers/waitIdle';

afterEach(() => localStorage.clear());

describe('local storage compare-and-set', () => {
  it('puts a write by another tab between its read and its write under its own, instead of over it', async () => {
    const {tabs, close} = createTabs(localStorage, 2);
    const [mine, other] = tabs as [(typeof tabs)[0], (typeof tabs)[0]];
    const store = createStore();
    const errors: unknown[] = [];
    const persister = createStoragePersister(
      store,
      'todos',
      mine.storage,
      (error) => errors.push(error),
      mine.window,
    );
    await persister.startAutoPersisting({todos: {t1: {text: 'milk'}}});
    // Another tab writes; before its 'storage' event arrives here, this tab edits.
    other.storage.setItem('todos', '[{"todos":{"t1":{"text":"milk"},"t2":{"text":"eggs"}}},{}]');
    store.setCell('todos', 't3', 'text', 'tea');
    await waitIdle(persister);
    const expected = [{todos: {t1: {text: 'milk'}, t2: {text: 'eggs'}, t3: {text: 'tea'}}}, {}];
    expect(JSON.parse(localStorage.getItem('todos') as string)).toEqual(expected);
    expect(store.getContent()).toEqual(expected);
    expect(errors).toEqual([]);
    await persister.destroy();
    close();
  });

  it('keeps the stored value exactly JSON.stringify([tables, values])', async () => {
    const store = createStore()
      .setTables({pets: {fido: {species: 'dog'}}})
      .setValues({open: true});
    const persister = createLocalPersister(store, 'pets');
    await persister.save();
    store.setCell('pets', 'fido', 'color', 'brown');
    await persister.save();
    expect(localStorage.getItem('pets')).toBe(JSON.stringify(store.getContent()));
    await persister.destroy();
  });

  it.each([
    ['JSON that is not content', '{"theme":"dark"}'],
    ['text that is not JSON', 'dark mode'],
    ['an empty string', ''],
  ])(
    'never overwrites another program’s data under its key (%s), and keeps the edits pending',
    async (_, garbage) => {
      localStorage.setItem('todos', garbage);
      const store = createStore();
      const errors: unknown[] = [];
      const persister = createLocalPersister(store, 'todos', (error) => errors.push(error));
      await persister.startAutoPersisting();
      store.setCell('todos', 't1', 'text', 'milk');
      await waitIdle(persister);
      expect(localStorage.getItem('todos')).toBe(garbage);
      expect(errors.length).toBeGreaterThan(0);
      expect(store.getContent()).toEqual([{todos: {t1: {text: 'milk'}}}, {}]);
      // Once the key holds content again, the pending edit goes out on top of it.
      localStorage.setItem('todos', '[{"todos":{"t0":{"text":"tea"}}},{}]');
      await persister.load();
      await persister.save();
      expect(JSON.parse(localStorage.getItem('todos') as string)).toEqual([
        {todos: {t0: {text: 'tea'}, t1: {text: 'milk'}}},
        {},
      ]);
      await persister.destroy();
    },
  );
});
