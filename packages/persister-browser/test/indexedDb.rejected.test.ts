// Stored cells that the store's schema refuses are kept by the persister
// (persister.getRejected()) and must stay in IndexedDB. The incremental save
// that writes whole rows from the store (no other tab wrote since this one last
// read or wrote: no read needed) must write them back into the rows it puts.
import 'fake-indexeddb/auto';
import {PersisterRejectedError} from '@x/persister';
import {createStore} from '@x/store';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {createIndexedDbPersister} from '../src';
import {deleteRaw, putRaw, readRaw} from './helpers/rawIdb';
import {waitIdle} from './helpers/waitIdle';

let dbCount = 0;
const newDbName = () => `idb-rejected-${++dbCount}-${Date.now()}`;

const schema = {pets: {species: {type: 'string'}, legs: {type: 'number'}}} as const;

afterEach(() => {
  vi.restoreAllMocks();
});

/** Counts reads of stored rows from now on: the merging path reads each changed row, the direct one none. */
const countRowReads = () => {
  const get = vi.spyOn(IDBObjectStore.prototype, 'get');
  return () => get.mock.calls.filter(([key]) => Array.isArray(key)).length;
};

describe('IndexedDB: refused stored cells on the direct incremental path', () => {
  it('keeps a refused cell in a row the app edits, and a wholly refused row', async () => {
    const dbName = newDbName();
    await putRaw(dbName, 'meta', 'persisted', 1);
    await putRaw(dbName, 'rows', ['pets', 'fido'], {species: 'dog', legs: 'four'});
    await putRaw(dbName, 'rows', ['pets', 'rex'], {legs: 'three'});
    const errors: unknown[] = [];
    const store = createStore().setTablesSchema(schema);
    const persister = createIndexedDbPersister(store, dbName, (error) => errors.push(error));
    await persister.startAutoPersisting();
    await waitIdle(persister);
    expect(errors.filter((error) => error instanceof PersisterRejectedError)).toHaveLength(1);
    expect(persister.getRejected()).toEqual([
      {pets: {fido: {legs: 'four'}, rex: {legs: 'three'}}},
      {},
    ]);
    expect(store.getContent()).toEqual([{pets: {fido: {species: 'dog'}}}, {}]);

    const rowReads = countRowReads();
    store.setCell('pets', 'fido', 'species', 'cat');
    store.setCell('pets', 'rex', 'species', 'dog');
    await waitIdle(persister);
    expect(rowReads()).toBe(0); // the direct path
    expect(await readRaw(dbName)).toEqual([
      {pets: {fido: {species: 'cat', legs: 'four'}, rex: {species: 'dog', legs: 'three'}}},
      {},
    ]);
    // The app's own write of a kept cell wins over it.
    store.setCell('pets', 'fido', 'legs', 4);
    await waitIdle(persister);
    expect(await readRaw(dbName)).toEqual([
      {pets: {fido: {species: 'cat', legs: 4}, rex: {species: 'dog', legs: 'three'}}},
      {},
    ]);
    expect(errors.filter((error) => !(error instanceof PersisterRejectedError))).toEqual([]);
    await persister.destroy();
    await deleteRaw(dbName);
  });

  it('puts the kept cells as the row when a new schema drops a row with a change not yet saved', async () => {
    const dbName = newDbName();
    const store = createStore().setTables({pets: {rex: {species: 'dog', legs: 'three'}}});
    const errors: unknown[] = [];
    const persister = createIndexedDbPersister(store, dbName, (error) => errors.push(error));
    await persister.startAutoPersisting();
    await waitIdle(persister);
    const rowReads = countRowReads();
    // Both before the autosave runs: the edit is pending when the schema drops the row.
    store.setCell('pets', 'rex', 'species', 'cat');
    store.setTablesSchema({pets: {species: {type: 'number'}, legs: {type: 'number'}}});
    expect(store.hasRow('pets', 'rex')).toBe(false);
    await waitIdle(persister);
    expect(rowReads()).toBe(0);
    expect(persister.getRejected()).toEqual([{pets: {rex: {species: 'cat', legs: 'three'}}}, {}]);
    expect(await readRaw(dbName)).toEqual([{pets: {rex: {species: 'cat', legs: 'three'}}}, {}]);
    await persister.destroy();
    await deleteRaw(dbName);
  });
});
