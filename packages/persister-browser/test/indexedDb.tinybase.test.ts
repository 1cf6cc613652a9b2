// A database written by the real TinyBase 10 IndexedDB persister (same dbName)
// opens in @x: its content is moved into @x's layout in place, once, inside
// one versionchange transaction, losing nothing. fake-indexeddb is a real
// in-memory IndexedDB that both libraries use here.
import 'fake-indexeddb/auto';
import {createStore, type Tables, type Values} from '@x/store';
import {createStore as createTinyBaseStore} from 'tinybase';
import {createIndexedDbPersister as createTinyBaseIndexedDbPersister} from 'tinybase/persisters/persister-indexed-db';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {createIndexedDbPersister} from '../src';
import {deleteRaw, dumpRaw, readRaw} from './helpers/rawIdb';
import {waitIdle} from './helpers/waitIdle';

let dbCount = 0;
const newDbName = () => `idb-tinybase-${++dbCount}-${Date.now()}`;

const TABLES = {
  pets: {fido: {species: 'dog', age: 3, sold: false}, 'felix.cat': {species: 'cat'}},
  'odd table': {'': {'a b': 'c'}},
};
const VALUES = {open: true, owner: 'Ada', visits: 0};

/** Saves `tables` and `values` with TinyBase 10's own IndexedDB persister. */
const saveWithTinyBase = async (
  dbName: string,
  tables: Tables = TABLES,
  values: Values = VALUES,
) => {
  const store = createTinyBaseStore().setTables(tables).setValues(values);
  const persister = createTinyBaseIndexedDbPersister(store, dbName);
  await persister.save();
  await persister.destroy();
};

const done = <T>(request: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });

/** The database's version and object store names, without upgrading it. */
const layout = async (dbName: string) => {
  const db = await done(indexedDB.open(dbName));
  const result = {version: db.version, stores: Array.from(db.objectStoreNames).sort()};
  db.close();
  return result;
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a database written by TinyBase 10', () => {
  it('loads everything TinyBase saved, and the database now has only our layout', async () => {
    const dbName = newDbName();
    await saveWithTinyBase(dbName);
    expect(await layout(dbName)).toEqual({version: 3, stores: ['m', 't', 'v']});

    const errors: unknown[] = [];
    const store = createStore();
    const persister = createIndexedDbPersister(store, dbName, (error) => errors.push(error));
    await persister.load({ignored: {r: {c: 1}}});
    expect(store.getContent()).toEqual([TABLES, VALUES]);
    expect(errors).toEqual([]);
    expect(await layout(dbName)).toEqual({version: 4, stores: ['m', 'meta', 'rows', 'values']});
    expect(await readRaw(dbName)).toEqual([TABLES, VALUES]);
    await persister.destroy();
    await deleteRaw(dbName);
  });

  it('migrates once: later opens find our layout and keep what @x saved since', async () => {
    const dbName = newDbName();
    await saveWithTinyBase(dbName);
    const store = createStore();
    const persister = createIndexedDbPersister(store, dbName);
    await persister.startAutoPersisting();
    store.setCell('pets', 'fido', 'age', 4).delValue('visits');
    await waitIdle(persister);
    await persister.destroy();
    const dump = await dumpRaw(dbName);

    const again = createStore();
    const second = createIndexedDbPersister(again, dbName);
    await second.load();
    await second.destroy();
    expect(again.getContent()).toEqual([
      {...TABLES, pets: {...TABLES.pets, fido: {species: 'dog', age: 4, sold: false}}},
      {open: true, owner: 'Ada'},
    ]);
    expect(await dumpRaw(dbName)).toBe(dump);
    expect((await layout(dbName)).version).toBe(4);
    await deleteRaw(dbName);
  });

  it('runs the migration in one versionchange transaction', async () => {
    const dbName = newDbName();
    await saveWithTinyBase(dbName);
    const transaction = vi.spyOn(IDBDatabase.prototype, 'transaction');
    const persister = createIndexedDbPersister(createStore(), dbName);
    await persister.load();
    await persister.destroy();
    // One versionchange transaction (the upgrade, which moves the data), then the load's read.
    expect(transaction.mock.calls.map(([, mode]) => mode ?? 'readonly')).toEqual([
      'versionchange',
      'readonly',
    ]);
    await deleteRaw(dbName);
  });

  it("is all or nothing: a write failing halfway leaves TinyBase's data as it was, and the next open moves it", async () => {
    const dbName = newDbName();
    await saveWithTinyBase(dbName);
    const before = await dumpRaw(dbName);
    const put = IDBObjectStore.prototype.put;
    let puts = 0;
    const spy = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['put']>
    ) {
      if (++puts === 2)
        throw new Error('disk full (simulated: a real IndexedDB cannot be made to fail here)');
      return put.apply(this, args);
    });
    const errors: unknown[] = [];
    const store = createStore();
    const persister = createIndexedDbPersister(store, dbName, (error) => errors.push(error));
    await persister.load();
    await persister.destroy();
    expect(puts).toBeGreaterThanOrEqual(2);
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toContain(`Could not open IndexedDB "${dbName}"`);
    expect(await dumpRaw(dbName)).toBe(before);
    expect((await layout(dbName)).version).toBe(3);

    spy.mockRestore();
    const next = createIndexedDbPersister(store, dbName);
    await next.load();
    await next.destroy();
    expect(store.getContent()).toEqual([TABLES, VALUES]);
    await deleteRaw(dbName);
  });

  it('keeps an empty store saved by TinyBase "persisted": initial content is not applied', async () => {
    const dbName = newDbName();
    await saveWithTinyBase(dbName, {}, {});
    const store = createStore();
    const persister = createIndexedDbPersister(store, dbName);
    await persister.load({initial: {r: {c: 1}}});
    await persister.destroy();
    expect(store.getContent()).toEqual([{}, {}]);
    await deleteRaw(dbName);
  });

  it('migrates once when two tabs open it at the same time', async () => {
    const dbName = newDbName();
    await saveWithTinyBase(dbName);
    const storeA = createStore();
    const storeB = createStore();
    const tabA = createIndexedDbPersister(storeA, dbName);
    const tabB = createIndexedDbPersister(storeB, dbName);
    await Promise.all([tabA.startAutoPersisting(), tabB.startAutoPersisting()]);
    expect(storeA.getContent()).toEqual([TABLES, VALUES]);
    expect(storeB.getContent()).toEqual([TABLES, VALUES]);
    await tabA.destroy();
    await tabB.destroy();
    expect(await readRaw(dbName)).toEqual([TABLES, VALUES]);
    await deleteRaw(dbName);
  });

  it('leaves data it cannot move untouched, and says why', async () => {
    const dbName = newDbName();
    await saveWithTinyBase(dbName);
    // Another program wrote a table record that is not an object.
    const db = await done(indexedDB.open(dbName));
    const write = db.transaction('t', 'readwrite');
    write.objectStore('t').put({k: 'broken', v: 'not a table'});
    await new Promise((resolve) => (write.oncomplete = resolve));
    db.close();
    const before = await dumpRaw(dbName);

    const errors: unknown[] = [];
    const store = createStore().setTables({mine: {r: {c: 1}}});
    const persister = createIndexedDbPersister(store, dbName, (error) => errors.push(error));
    await persister.startAutoPersisting();
    store.setCell('mine', 'r', 'c', 2);
    await waitIdle(persister);
    await persister.destroy();
    expect(String(errors[0])).toContain(
      `IndexedDB "${dbName}" holds data of TinyBase's IndexedDB persister that cannot be moved to this persister's layout (table "broken" is not an object); it was left as it is.`,
    );
    expect(store.getTables()).toEqual({mine: {r: {c: 2}}});
    expect(await dumpRaw(dbName)).toBe(before);
    expect((await layout(dbName)).version).toBe(3);
    await deleteRaw(dbName);
  });

  it('moves a row that is not valid as it is, and the persister reports it and never overwrites it', async () => {
    const dbName = newDbName();
    await saveWithTinyBase(dbName);
    const db = await done(indexedDB.open(dbName));
    const write = db.transaction('t', 'readwrite');
    write.objectStore('t').put({k: 'pets', v: {fido: ['not', 'a', 'row']}});
    await new Promise((resolve) => (write.oncomplete = resolve));
    db.close();

    const errors: unknown[] = [];
    const store = createStore();
    const persister = createIndexedDbPersister(store, dbName, (error) => errors.push(error));
    await persister.startAutoPersisting();
    store.setCell('mine', 'r', 'c', 1);
    await waitIdle(persister);
    await persister.destroy();
    expect(String(errors[0])).toContain(
      'tables.pets.fido: row must be a plain object, got an array',
    );
    const raw = JSON.parse(await dumpRaw(dbName)) as {rows: [unknown, unknown][]};
    expect(raw.rows).toContainEqual([
      ['pets', 'fido'],
      ['not', 'a', 'row'],
    ]);
    await deleteRaw(dbName);
  });

  it("takes TinyBase's arguments (store, dbName, autoLoadIntervalSeconds, onIgnoredError)", async () => {
    const dbName = newDbName();
    await saveWithTinyBase(dbName);
    const db = await done(indexedDB.open(dbName));
    const write = db.transaction('t', 'readwrite');
    write.objectStore('t').put({k: 'pets', v: {fido: 'not a row'}});
    await new Promise((resolve) => (write.oncomplete = resolve));
    db.close();
    const errors: unknown[] = [];
    const persister = createIndexedDbPersister(createStore(), dbName, 1, (error) =>
      errors.push(error),
    );
    await persister.load();
    await persister.destroy();
    expect(String(errors[0])).toContain('tables.pets.fido: row must be a plain object');
    await deleteRaw(dbName);
  });

  it('is one way: TinyBase 10 cannot read the database once migrated (deliberate difference)', async () => {
    const dbName = newDbName();
    await saveWithTinyBase(dbName);
    const persister = createIndexedDbPersister(createStore(), dbName);
    await persister.load();
    await persister.destroy();
    const errors: unknown[] = [];
    const tinybaseStore = createTinyBaseStore();
    const tinybase = createTinyBaseIndexedDbPersister(tinybaseStore, dbName, 1, (error) =>
      errors.push(error),
    );
    await tinybase.load();
    await tinybase.destroy();
    expect(errors).toHaveLength(1);
    expect(tinybaseStore.getContent()).toEqual([{}, {}]);
    // @x still has everything.
    expect(await readRaw(dbName)).toEqual([TABLES, VALUES]);
    await deleteRaw(dbName);
  });
});
