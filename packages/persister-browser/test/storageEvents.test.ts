// @vitest-environment happy-dom
// Which 'storage' events the Web Storage persisters act on. Other tabs are
// simulated as helpers/otherTab.ts explains (happy-dom fires no storage events).
import {createStore} from '@x/store';
import {afterEach, describe, expect, it} from 'vitest';
import {createLocalPersister, createSessionPersister} from '../src';
import {writeFromOtherTab} from './helpers/otherTab';
import {waitIdle} from './helpers/waitIdle';

const saved = '[{"todos":{"a":{"text":"milk"}}},{"open":1}]';

const startPersisting = async (create = createLocalPersister) => {
  const errors: unknown[] = [];
  const store = createStore();
  const persister = create(store, 'todos', (error) => errors.push(error));
  localStorage.setItem('todos', saved);
  sessionStorage.setItem('todos', saved);
  await persister.startAutoPersisting();
  return {store, persister, errors};
};

afterEach(() => {
  localStorage.clear();
  sessionStorage.clear();
});

describe('storage events', () => {
  it('applies a write by another tab to its key', async () => {
    const {store, persister} = await startPersisting();
    writeFromOtherTab(localStorage, 'todos', '[{"todos":{"b":{"text":"eggs"}}},{}]');
    await waitIdle(persister);
    expect(store.getContent()).toStrictEqual([{todos: {b: {text: 'eggs'}}}, {}]);
    await persister.destroy();
  });

  it('ignores other keys and the other storage area', async () => {
    const {store, persister} = await startPersisting(createSessionPersister);
    const loads = persister.getStats().loads;
    writeFromOtherTab(sessionStorage, 'other', '[{"x":{"y":{"z":1}}},{}]');
    // Same key, but local storage: a session persister does not follow it.
    writeFromOtherTab(localStorage, 'todos', '[{"x":{"y":{"z":1}}},{}]');
    await waitIdle(persister);
    expect(persister.getStats().loads).toBe(loads);
    expect(store.getContent()).toStrictEqual(JSON.parse(saved));
    await persister.destroy();
  });

  it('keeps the store when another tab removes the key or clears the area', async () => {
    const {store, persister, errors} = await startPersisting();
    writeFromOtherTab(localStorage, 'todos', null);
    await waitIdle(persister);
    expect(store.getContent()).toStrictEqual(JSON.parse(saved));
    localStorage.setItem('todos', saved);
    writeFromOtherTab(localStorage, null, null);
    await waitIdle(persister);
    expect(store.getContent()).toStrictEqual(JSON.parse(saved));
    expect(errors).toStrictEqual([]);
    // The next local change is saved again, in full.
    store.setCell('todos', 'c', 'text', 'tea');
    await waitIdle(persister);
    expect(JSON.parse(localStorage.getItem('todos') ?? 'null')).toStrictEqual([
      {todos: {a: {text: 'milk'}, c: {text: 'tea'}}},
      {open: 1},
    ]);
    await persister.destroy();
  });

  it('reports unreadable JSON from another tab, keeps the store and does not overwrite it', async () => {
    const {store, persister, errors} = await startPersisting();
    writeFromOtherTab(localStorage, 'todos', '[{"todos":');
    await waitIdle(persister);
    expect(errors.length).toBeGreaterThan(0);
    expect(store.getContent()).toStrictEqual(JSON.parse(saved));
    expect(localStorage.getItem('todos')).toBe('[{"todos":');
    await persister.destroy();
  });

  it('stops listening after stopAutoLoad', async () => {
    const {store, persister} = await startPersisting();
    persister.stopAutoLoad();
    writeFromOtherTab(localStorage, 'todos', '[{},{"open":0}]');
    await waitIdle(persister);
    expect(store.getContent()).toStrictEqual(JSON.parse(saved));
    await persister.destroy();
  });
});

describe('creation', () => {
  it('says which key it uses', () => {
    expect(createSessionPersister(createStore(), 'petStore').getStorageName()).toBe('petStore');
    expect(createLocalPersister(createStore(), 'todos').getStorageName()).toBe('todos');
  });

  it('refuses a storage name that is not a string', () => {
    expect(() => createLocalPersister(createStore(), 42 as unknown as string)).toThrow(TypeError);
  });

  it('round-trips ids such as __proto__ without touching prototypes', async () => {
    const store = createStore().setCell('__proto__', 'constructor', 'prototype', 'x');
    await createLocalPersister(store, 'odd').save();
    const other = createStore();
    await createLocalPersister(other, 'odd').load();
    expect(other.getCell('__proto__', 'constructor', 'prototype')).toBe('x');
    expect(Object.getPrototypeOf(other.getTables())).toBe(Object.prototype);
    expect(({} as {constructor: unknown}).constructor).toBe(Object);
  });
});
