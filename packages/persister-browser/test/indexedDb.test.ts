// What the IndexedDB persister does beyond the contract: row-level writes,
// tabs kept in step through BroadcastChannel, and opens that fail or block.
// fake-indexeddb is a real in-memory IndexedDB; BroadcastChannel is Node's own,
// so two persisters on one database behave as two tabs.
import 'fake-indexeddb/auto';
import {createStore, type Store} from '@x/store';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {createIndexedDbPersister} from '../src';
import {countReads} from './helpers/countReads';
import {deleteRaw, openRaw, putRaw, readRaw} from './helpers/rawIdb';
import {waitIdle} from './helpers/waitIdle';

let dbCount = 0;
const newDbName = () => `idb-test-${++dbCount}-${Date.now()}`;

const waitFor = async (check: () => boolean) => {
  for (let attempt = 0; attempt < 200 && !check(); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('createIndexedDbPersister', () => {
  it('stores one record per row and per value, and says its database name', async () => {
    const dbName = newDbName();
    const store = createStore()
      .setTables({pets: {fido: {species: 'dog'}, felix: {species: 'cat', age: 3}}})
      .setValues({open: true, note: null});
    const persister = createIndexedDbPersister(store, dbName);
    expect(persister.getDbName()).toBe(dbName);
    await persister.save();
    expect(await readRaw(dbName)).toStrictEqual(store.getContent());
    await persister.destroy();
    await deleteRaw(dbName);
  });

  it('writes only the changed row for a one-cell change, resolving after the transaction', async () => {
    const dbName = newDbName();
    const rows: {[rowId: string]: {n: number}} = {};
    for (let index = 0; index < 50; index++) {
      rows[`r${index}`] = {n: index};
    }
    const store = createStore().setTables({t: rows});
    const persister = createIndexedDbPersister(store, dbName);
    await persister.startAutoSave();
    await waitIdle(persister);

    // Count what reaches IndexedDB: a spy on the real object store's put.
    const put = vi.spyOn(IDBObjectStore.prototype, 'put');
    store.setCell('t', 'r7', 'n', 700);
    await waitIdle(persister);
    const rowPuts = put.mock.calls.filter(([, key]) => Array.isArray(key));
    expect(rowPuts).toStrictEqual([[{n: 700}, ['t', 'r7']]]);
    expect((await readRaw(dbName))?.[0].t.r7).toStrictEqual({n: 700});
    await persister.destroy();
    await deleteRaw(dbName);
  });

  it('tells another tab each change, which applies it without reloading', async () => {
    const dbName = newDbName();
    const storeA = createStore();
    const storeB = createStore();
    const tabA = createIndexedDbPersister(storeA, dbName);
    const tabB = createIndexedDbPersister(storeB, dbName);
    await tabA.startAutoPersisting({todos: {a: {text: 'milk', done: false}}});
    await tabB.startAutoPersisting();
    expect(storeB.getTables()).toStrictEqual({todos: {a: {text: 'milk', done: false}}});
    const reads = countReads();

    storeA.setCell('todos', 'a', 'done', true).setRow('todos', 'b', {text: 'eggs'});
    await waitFor(
      () => storeB.hasRow('todos', 'b') && storeB.getCell('todos', 'a', 'done') === true,
    );
    expect(storeB.getTables()).toStrictEqual({
      todos: {a: {text: 'milk', done: true}, b: {text: 'eggs'}},
    });

    // A cell deleted in A goes in B too (a put replaces the whole row).
    storeA.delCell('todos', 'a', 'done').delRow('todos', 'b').setValue('v', 0);
    await waitFor(() => !storeB.hasRow('todos', 'b') && storeB.hasValue('v'));
    expect(storeB.getContent()).toStrictEqual([{todos: {a: {text: 'milk'}}}, {v: 0}]);

    storeB.delTable('todos').delValue('v');
    await waitFor(() => !storeA.hasTables() && !storeA.hasValues());
    expect(storeA.getContent()).toStrictEqual([{}, {}]);

    // B learnt all of that from messages: it never re-read the database (nor did A).
    expect(reads.count()).toBe(0);
    expect(await readRaw(dbName)).toStrictEqual([{}, {}]);
    await tabA.destroy();
    await tabB.destroy();
    await deleteRaw(dbName);
  });

  it('reports a malformed message on its channel and keeps the store', async () => {
    const dbName = newDbName();
    const errors: unknown[] = [];
    const store = createStore().setCell('t', 'r', 'c', 1);
    const persister = createIndexedDbPersister(store, dbName, (error) => errors.push(error));
    await persister.startAutoPersisting();
    const hostile = new BroadcastChannel(`@x/persister-browser/indexeddb:${dbName}`);
    hostile.postMessage({version: 2, changes: [{t: 'not rows'}, {}, 1]});
    hostile.postMessage({kind: 'drop-everything'});
    await waitFor(() => errors.length >= 2);
    expect(errors.map((error) => (error as Error).message)).toStrictEqual([
      expect.stringMatching(/tables\.t: table must be a plain object/),
      'IndexedDB broadcast: malformed message',
    ]);
    expect(store.getContent()).toStrictEqual([{t: {r: {c: 1}}}, {}]);
    hostile.close();
    await persister.destroy();
    await deleteRaw(dbName);
  });

  it('keeps an emptied store empty on reload (a saved empty store is not "nothing persisted")', async () => {
    const dbName = newDbName();
    const store = createStore().setCell('t', 'r', 'c', 1);
    const persister = createIndexedDbPersister(store, dbName);
    await persister.startAutoPersisting();
    store.delTables();
    await persister.destroy();
    const reloaded = createStore();
    const again = createIndexedDbPersister(reloaded, dbName);
    await again.load({t: {initial: {c: 2}}});
    expect(reloaded.getContent()).toStrictEqual([{}, {}]);
    await again.destroy();
    await deleteRaw(dbName);
  });

  it('reports unreadable rows, keeps the store and leaves the data alone', async () => {
    const dbName = newDbName();
    await putRaw(dbName, 'rows', 'not-a-row-key', {c: 1});
    const errors: unknown[] = [];
    const store = createStore().setCell('t', 'r', 'c', 1);
    const persister = createIndexedDbPersister(store, dbName, (error) => errors.push(error));
    await persister.load();
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toContain('unexpected key');
    expect(store.getContent()).toStrictEqual([{t: {r: {c: 1}}}, {}]);
    await persister.destroy();
    const db = await openRaw(dbName);
    const count = await new Promise((resolve) => {
      const request = db.transaction('rows').objectStore('rows').count();
      request.onsuccess = () => resolve(request.result);
    });
    db.close();
    expect(count).toBe(1);
    await deleteRaw(dbName);
  });

  it('reports an open blocked by another connection instead of hanging', async () => {
    const dbName = newDbName();
    // Another tab made the database at version 1 without our object stores and
    // keeps it open, ignoring versionchange: our upgrade to version 2 is blocked.
    const holder = await new Promise<IDBDatabase>((resolve) => {
      const request = indexedDB.open(dbName, 1);
      request.onsuccess = () => resolve(request.result);
    });
    const errors: unknown[] = [];
    const store: Store = createStore().setCell('t', 'r', 'c', 1);
    const persister = createIndexedDbPersister(store, dbName, (error) => errors.push(error));
    await persister.load();
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toMatch(/blocked/);
    expect(store.getContent()).toStrictEqual([{t: {r: {c: 1}}}, {}]);

    // Once the other connection goes, the next attempt opens and upgrades.
    holder.close();
    await persister.save();
    expect(await readRaw(dbName)).toStrictEqual([{t: {r: {c: 1}}}, {}]);
    await persister.destroy();
    await deleteRaw(dbName);
  });

  it('reports a missing IndexedDB', async () => {
    const errors: unknown[] = [];
    const indexedDb = globalThis.indexedDB;
    vi.stubGlobal('indexedDB', undefined);
    const persister = createIndexedDbPersister(createStore(), newDbName(), (error) =>
      errors.push(error),
    );
    await persister.load();
    vi.stubGlobal('indexedDB', indexedDb);
    expect(String(errors[0])).toMatch(/indexedDB is not available/);
    vi.unstubAllGlobals();
  });

  it('refuses a database name that is not a string', () => {
    expect(() => createIndexedDbPersister(createStore(), {} as unknown as string)).toThrow(
      TypeError,
    );
  });

  it('round-trips ids such as __proto__', async () => {
    const dbName = newDbName();
    const store = createStore()
      .setCell('__proto__', 'constructor', 'prototype', 'x')
      .setValue('__proto__', 1);
    const writer = createIndexedDbPersister(store, dbName);
    await writer.save();
    await writer.destroy();
    const other = createStore();
    const persister = createIndexedDbPersister(other, dbName);
    await persister.load();
    expect(other.getCell('__proto__', 'constructor', 'prototype')).toBe('x');
    expect(other.getValue('__proto__')).toBe(1);
    expect(JSON.stringify(other.getContent())).toBe(JSON.stringify(store.getContent()));
    expect(({} as {constructor: unknown}).constructor).toBe(Object);
    await persister.destroy();
    await deleteRaw(dbName);
  });
});
