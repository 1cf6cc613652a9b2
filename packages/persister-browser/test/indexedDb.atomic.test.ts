// One save is one IndexedDB transaction: a save that stops half-way (the tab
// closes or crashes, which aborts every uncommitted transaction) leaves the
// database exactly as it was, readers on other connections see the old or the
// new state and never an empty or half-written one, and other tabs hear one
// message per save.
// fake-indexeddb is a real in-memory IndexedDB. To stop a save half-way the
// tests wrap the real IDBObjectStore.prototype.put: every put still runs, and
// the wrapper then aborts the real transaction, as closing the tab would.
import 'fake-indexeddb/auto';
// Key-sorted JSON: contents compare equal whatever their insertion order.
import {canonicalJson as canonical} from '@x/persister';
import type {Content} from '@x/store';
import {createStore} from '@x/store';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {createIndexedDbPersister} from '../src';
import {countReads} from './helpers/countReads';
import {deleteRaw, openRaw, readRaw} from './helpers/rawIdb';
import {waitIdle} from './helpers/waitIdle';

let dbCount = 0;
const newDbName = () => `idb-atomic-${++dbCount}-${Date.now()}`;

const waitFor = async (check: () => boolean | Promise<boolean>, attempts = 600) => {
  for (let attempt = 0; attempt < attempts && !(await check()); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

const tableOf = (prefix: string, count: number) => {
  const table: {[rowId: string]: {n: number}} = {};
  for (let index = 0; index < count; index++) table[`${prefix}${index}`] = {n: index};
  return table;
};

const OLD: Content = [{t: tableOf('old', 20), u: {x: {a: 1}}}, {v: 'old'}];
const NEW: Content = [
  {t: tableOf('new', 20), w: {y: {b: 2}}},
  {v: 'new', extra: true},
];

/** Writes `content` as another tab would, with a full save, and closes that tab. */
const seed = async (dbName: string, content: Content) => {
  const writer = createIndexedDbPersister(createStore().setContent(content), dbName);
  await writer.save({overwrite: true});
  await writer.destroy();
};

/**
 * While armed, every readwrite transaction is aborted right after its
 * `abortAfter`-th put into the rows object store, i.e. with some requests
 * issued and others not yet. `steps` logs the clears, deletes and puts issued.
 */
const abortSavesMidway = (abortAfter: number) => {
  const realPut = IDBObjectStore.prototype.put;
  const putsPerTransaction = new WeakMap<IDBTransaction, number>();
  const hook = {armed: true, aborts: 0, steps: [] as string[]};
  vi.spyOn(IDBObjectStore.prototype, 'clear').mockName('clear');
  vi.spyOn(IDBObjectStore.prototype, 'delete').mockName('delete');
  vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (
    this: IDBObjectStore,
    ...args: Parameters<IDBObjectStore['put']>
  ) {
    const request = realPut.apply(this, args);
    if (hook.armed && this.name === 'rows') {
      const puts = (putsPerTransaction.get(this.transaction) ?? 0) + 1;
      putsPerTransaction.set(this.transaction, puts);
      if (puts === abortAfter) {
        hook.aborts++;
        this.transaction.abort();
      }
    }
    return request;
  });
  return hook;
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('IndexedDB: one save, one transaction', () => {
  it('keeps every old row when a full save stops after the clear, and saves it later', async () => {
    const dbName = newDbName();
    await seed(dbName, OLD);
    expect(canonical(await readRaw(dbName))).toBe(canonical(OLD));

    const errors: unknown[] = [];
    const store = createStore().setContent(NEW);
    const persister = createIndexedDbPersister(store, dbName, (error) => errors.push(error));
    const hook = abortSavesMidway(3);
    // A full save that replaces what it has not read (a plain save() would merge it in).
    await persister.save({overwrite: true});
    await waitFor(() => errors.length > 0);
    expect(hook.aborts).toBeGreaterThan(0);
    // The clear was issued in that transaction before the abort: it did not stick.
    expect(IDBObjectStore.prototype.clear).toHaveBeenCalled();
    // The aborted transaction's error, or the next request's refusal (TransactionInactiveError).
    expect(String(errors[0])).toMatch(/abort|TransactionInactiveError/i);
    expect(canonical(await readRaw(dbName))).toBe(canonical(OLD));

    // Nothing was lost: the next save writes it once nothing aborts it.
    hook.armed = false;
    await persister.save({overwrite: true});
    await waitFor(async () => canonical(await readRaw(dbName)) === canonical(NEW));
    expect(canonical(await readRaw(dbName))).toBe(canonical(NEW));
    expect(store.getContent()).toStrictEqual(NEW);
    await persister.destroy();
    await deleteRaw(dbName);
  });

  it('keeps storage whole when an incremental save over several tables stops half-way', async () => {
    const dbName = newDbName();
    await seed(dbName, OLD);
    const errors: unknown[] = [];
    const store = createStore();
    const persister = createIndexedDbPersister(store, dbName, (error) => errors.push(error));
    await persister.startAutoPersisting();
    expect(canonical(store.getContent())).toBe(canonical(OLD));

    const hook = abortSavesMidway(1);
    // One save: delete table u, then put a row in t, then a value.
    store.transaction(() => {
      store.delTable('u');
      store.setCell('t', 'old0', 'n', -1);
      store.setValue('v', 'changed');
    });
    await waitFor(() => errors.length > 0);
    expect(hook.aborts).toBeGreaterThan(0);
    // u's delete was issued before the put that aborted; it did not stick either.
    expect(IDBObjectStore.prototype.delete).toHaveBeenCalled();
    expect(canonical(await readRaw(dbName))).toBe(canonical(OLD));

    hook.armed = false;
    const expected = canonical(store.getContent());
    await waitFor(async () => canonical(await readRaw(dbName)) === expected);
    expect(canonical(await readRaw(dbName))).toBe(expected);
    expect(await readRaw(dbName)).not.toHaveProperty(['0', 'u']);
    await persister.destroy();
    await deleteRaw(dbName);
  });

  it('lets another connection read only the old or the new content during full saves', async () => {
    const dbName = newDbName();
    await seed(dbName, OLD);
    const reader = await openRaw(dbName);
    const snapshot = (): Promise<string> =>
      new Promise((resolve, reject) => {
        const transaction = reader.transaction(['rows', 'values'], 'readonly');
        const rowKeys = transaction.objectStore('rows').getAllKeys();
        const rows = transaction.objectStore('rows').getAll();
        const valueKeys = transaction.objectStore('values').getAllKeys();
        const values = transaction.objectStore('values').getAll();
        transaction.oncomplete = () =>
          resolve(JSON.stringify([rowKeys.result, rows.result, valueKeys.result, values.result]));
        transaction.onabort = () => reject(transaction.error);
      });
    const oldSnapshot = await snapshot();

    const store = createStore().setContent(NEW);
    const persister = createIndexedDbPersister(store, dbName);
    // A read issued while the save is writing its first row.
    const realPut = IDBObjectStore.prototype.put;
    let readMidSave: Promise<string> | undefined;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['put']>
    ) {
      if (readMidSave === undefined && this.name === 'rows') readMidSave = snapshot();
      return realPut.apply(this, args);
    });
    await persister.save({overwrite: true});
    const newSnapshot = await snapshot();
    expect(newSnapshot).not.toBe(oldSnapshot);
    expect(await readMidSave).toBe(newSnapshot);
    vi.restoreAllMocks();

    // Reads back to back while full saves swap the content to and fro.
    const seen = new Set<string>();
    let reading = true;
    let reads = 0;
    const readLoop = (async () => {
      while (reading && reads < 5000) {
        seen.add(await snapshot());
        reads++;
      }
    })();
    for (let round = 0; round < 6; round++) {
      store.setContent(round % 2 === 0 ? OLD : NEW);
      await persister.save();
    }
    reading = false;
    await readLoop;
    expect(reads).toBeGreaterThan(0);
    expect([...seen].filter((one) => one !== oldSnapshot && one !== newSnapshot)).toEqual([]);
    reader.close();
    await persister.destroy();
    await deleteRaw(dbName);
  });

  it('moves another tab from the old content to the new one without an empty store between', async () => {
    const dbName = newDbName();
    await seed(dbName, OLD);
    const storeB = createStore();
    const tabB = createIndexedDbPersister(storeB, dbName);
    await tabB.startAutoPersisting();
    expect(canonical(storeB.getContent())).toBe(canonical(OLD));
    const savesOfB = tabB.getStats().saves;
    const reads = countReads();
    const seenByB: string[] = [];
    storeB.addDidFinishTransactionListener(() => seenByB.push(canonical(storeB.getContent())));

    const tabA = createIndexedDbPersister(createStore().setContent(NEW), dbName);
    await tabA.save({overwrite: true});
    await waitFor(() => canonical(storeB.getContent()) === canonical(NEW));
    expect(canonical(storeB.getContent())).toBe(canonical(NEW));
    expect(seenByB).toEqual([canonical(NEW)]);
    // A full save is told without its content: B re-reads the database once
    // (a content in a message could be older than what B already holds).
    expect(reads.count()).toBe(1);
    await tabA.destroy();
    await waitIdle(tabB);
    // Nor does it save back what it heard (no echo).
    expect(tabB.getStats().saves).toBe(savesOfB);
    await tabB.destroy();
    await deleteRaw(dbName);
  });

  it('applies a save over several tables in another tab as one change', async () => {
    const dbName = newDbName();
    await seed(dbName, OLD);
    const storeA = createStore();
    const storeB = createStore();
    const tabA = createIndexedDbPersister(storeA, dbName);
    const tabB = createIndexedDbPersister(storeB, dbName);
    await tabA.startAutoPersisting();
    await tabB.startAutoPersisting();
    const seenByB: string[] = [];
    storeB.addDidFinishTransactionListener(() => seenByB.push(canonical(storeB.getContent())));

    storeA.transaction(() => {
      storeA.delTable('u');
      storeA.delRow('t', 'old1');
      storeA.setRow('t', 'old2', {m: 5});
      storeA.setCell('w', 'z', 'c', 'new table');
      storeA.setValue('v', 'changed').delValue('missing').setValue('n', 0);
    });
    const expected = canonical(storeA.getContent());
    await waitFor(() => canonical(storeB.getContent()) === expected);
    expect(canonical(storeB.getContent())).toBe(expected);
    expect(seenByB).toEqual([expected]);
    expect(canonical(await readRaw(dbName))).toBe(expected);
    await tabA.destroy();
    await tabB.destroy();
    await deleteRaw(dbName);
  });

  it('applies changes that delete a table and write to it, and reports malformed messages', async () => {
    const dbName = newDbName();
    const errors: unknown[] = [];
    const store = createStore().setTables({t: {a: {c: 1}, b: {c: 0, d: 0}}});
    const persister = createIndexedDbPersister(store, dbName, (error) => errors.push(error));
    await persister.startAutoPersisting();
    // As another tab would tell its next save (version 2: the first save made 1).
    const otherTab = new BroadcastChannel(`@x/persister-browser/indexeddb:${dbName}`);
    otherTab.postMessage({
      version: 2,
      changes: [{t: {a: undefined, b: {d: undefined, c: 2}}}, {}, 1],
    });
    await waitFor(() => !store.hasRow('t', 'a'));
    expect(store.getTables()).toStrictEqual({t: {b: {c: 2}}});
    otherTab.postMessage({version: 3, changes: 'not changes'});
    otherTab.postMessage({kind: 'content', content: {not: 'content'}});
    await waitFor(() => errors.length >= 2);
    expect(errors.map((error) => (error as Error).message)).toStrictEqual([
      'IndexedDB broadcast: malformed message',
      'IndexedDB broadcast: malformed message',
    ]);
    expect(store.getTables()).toStrictEqual({t: {b: {c: 2}}});
    otherTab.close();
    await persister.destroy();
    await deleteRaw(dbName);
  });
});
