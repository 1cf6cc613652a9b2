// @vitest-environment happy-dom
// The same user code against TinyBase 10's Web Storage persisters and ours:
// the stored string, reading each other's data, and what another tab's write
// or removal of the key does. Other tabs are simulated as helpers/otherTab.ts
// explains (happy-dom fires no storage events).
import {createStore} from '@x/store';
import {createStore as createTinyBaseStore} from 'tinybase';
import {
  createLocalPersister as createTinyBaseLocalPersister,
  createSessionPersister as createTinyBaseSessionPersister,
} from 'tinybase/persisters/persister-browser';
import {afterEach, describe, expect, it} from 'vitest';
import {createLocalPersister, createSessionPersister} from '../src';
import {writeFromOtherTab} from './helpers/otherTab';
import {waitIdle} from './helpers/waitIdle';

const TABLES = {pets: {fido: {species: 'dog', legs: 4}, 'felix.cat': {sold: false}}};
const VALUES = {open: true, owner: 'Ada'};
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

afterEach(() => {
  localStorage.clear();
  sessionStorage.clear();
});

const KINDS = [
  ['local', localStorage, createTinyBaseLocalPersister, createLocalPersister],
  ['session', sessionStorage, createTinyBaseSessionPersister, createSessionPersister],
] as const;

describe.each(KINDS)('%s storage: TinyBase 10 and @x side by side', (_, storage, tinybase, x) => {
  it('save() stores the same string', async () => {
    const tinybasePersister = tinybase(
      createTinyBaseStore().setTables(TABLES).setValues(VALUES),
      'tb',
    );
    await tinybasePersister.save();
    await tinybasePersister.destroy();
    const persister = x(createStore().setTables(TABLES).setValues(VALUES), 'x');
    await persister.save();
    await persister.destroy();
    expect(storage.getItem('x')).toBe(storage.getItem('tb'));
  });

  it('each reads what the other saved, under the same key', async () => {
    const tinybasePersister = tinybase(
      createTinyBaseStore().setTables(TABLES).setValues(VALUES),
      'pets',
    );
    await tinybasePersister.save();
    await tinybasePersister.destroy();
    const store = createStore();
    const persister = x(store, 'pets');
    await persister.load();
    store.setCell('pets', 'fido', 'legs', 3);
    await persister.save();
    await persister.destroy();
    const tinybaseStore = createTinyBaseStore();
    const reader = tinybase(tinybaseStore, 'pets');
    await reader.load();
    await reader.destroy();
    expect(tinybaseStore.getContent()).toEqual(store.getContent());
    expect(store.getTables().pets.fido.legs).toBe(3);
  });

  it('a key holding [tables] loads the tables and keeps the values, in both', async () => {
    storage.setItem('old', JSON.stringify([TABLES]));
    const tinybaseStore = createTinyBaseStore().setValues(VALUES);
    const tinybasePersister = tinybase(tinybaseStore, 'old');
    await tinybasePersister.load();
    await tinybasePersister.destroy();
    const store = createStore().setValues(VALUES);
    const persister = x(store, 'old');
    await persister.load();
    await persister.destroy();
    expect(store.getContent()).toEqual(tinybaseStore.getContent());
    expect(store.getContent()).toEqual([TABLES, VALUES]);
  });

  it("both apply another tab's write to the key", async () => {
    const tinybaseStore = createTinyBaseStore();
    const tinybasePersister = tinybase(tinybaseStore, 'shared');
    await tinybasePersister.startAutoLoad();
    const store = createStore();
    const persister = x(store, 'shared');
    await persister.startAutoLoad();
    writeFromOtherTab(storage, 'shared', JSON.stringify([TABLES, VALUES]));
    await settle();
    await waitIdle(persister);
    expect(store.getContent()).toEqual(tinybaseStore.getContent());
    expect(store.getContent()).toEqual([TABLES, VALUES]);
    await tinybasePersister.destroy();
    await persister.destroy();
  });

  it('both keep the store when another tab removes the key (TinyBase reports it, @x does not)', async () => {
    storage.setItem('shared', JSON.stringify([TABLES, VALUES]));
    const tinybaseErrors: unknown[] = [];
    const tinybaseStore = createTinyBaseStore();
    const tinybasePersister = tinybase(tinybaseStore, 'shared', (error) =>
      tinybaseErrors.push(error),
    );
    await tinybasePersister.startAutoLoad();
    const errors: unknown[] = [];
    const store = createStore();
    const persister = x(store, 'shared', (error) => errors.push(error));
    await persister.startAutoLoad();
    writeFromOtherTab(storage, 'shared', null);
    await settle();
    await waitIdle(persister);
    expect(store.getContent()).toEqual(tinybaseStore.getContent());
    expect(store.getContent()).toEqual([TABLES, VALUES]);
    expect([tinybaseErrors.length > 0, errors]).toEqual([true, []]);
    await tinybasePersister.destroy();
    await persister.destroy();
  });
});
