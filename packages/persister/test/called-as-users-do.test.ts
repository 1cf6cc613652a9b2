// The six ways the first release lost data in ordinary code, each called the
// way users call it: without awaits, in the "wrong" order, with a slow or
// failing storage and a transaction left open.
import {createStore} from '@x/store';
import {describe, expect, it} from 'vitest';
import {createManualStorage, nextRead, settle, until} from './helpers/manual-storage';

const STORED = [{t: {r: {a: 1}}}, {}];

describe('called as users do', () => {
  it('1. startAutoLoad(); startAutoSave(); without an await loads first, then saves', async () => {
    const storage = createManualStorage(STORED);
    storage.autoWrite = true;
    const store = createStore();
    const persister = storage.createPersister(store);
    void persister.startAutoLoad();
    void persister.startAutoSave();
    store.setCell('t', 'r', 'b', 2);
    (await nextRead(storage)).release();
    await until(() => storage.writeCalls.length > 0, 'the save');
    await settle();
    expect(storage.data).toEqual([{t: {r: {a: 1, b: 2}}}, {}]);
    expect(store.getContent()).toEqual(storage.data);
    await persister.destroy();
  });

  it('1. startAutoLoad(); save(); without an await saves what was loaded, not an empty store', async () => {
    const storage = createManualStorage(STORED);
    storage.autoWrite = true;
    const store = createStore();
    const persister = storage.createPersister(store);
    void persister.startAutoLoad();
    const saving = persister.save();
    expect(storage.writeCalls).toEqual([]);
    (await nextRead(storage)).release();
    await saving;
    expect(storage.data).toEqual(STORED);
    await persister.destroy();
  });

  it('2. startAutoPersisting(); setCell() without an await keeps and saves the edit', async () => {
    const storage = createManualStorage(STORED);
    storage.autoWrite = true;
    const store = createStore();
    const persister = storage.createPersister(store);
    void persister.startAutoPersisting();
    store.setCell('t', 'mine', 'c', 'x');
    (await nextRead(storage)).release();
    await until(() => storage.writeCalls.length > 0, 'the save');
    await settle();
    const expected = [{t: {r: {a: 1}, mine: {c: 'x'}}}, {}];
    expect(store.getContent()).toEqual(expected);
    expect(storage.data).toEqual(expected);
    await persister.destroy();
  });

  it('2. startAutoPersisting(); setCell(); await destroy() has the edit in storage', async () => {
    const storage = createManualStorage(STORED);
    storage.autoRead = true;
    storage.autoWrite = true;
    const store = createStore();
    const persister = storage.createPersister(store);
    void persister.startAutoPersisting();
    store.setCell('t', 'mine', 'c', 'x');
    await persister.destroy();
    expect(storage.data).toEqual([{t: {r: {a: 1}, mine: {c: 'x'}}}, {}]);
  });

  it('3. news heard while the user transaction is open waits for it; the user cell survives, nothing echoes', async () => {
    const storage = createManualStorage(STORED);
    storage.autoRead = true;
    storage.autoWrite = true;
    const store = createStore();
    const persister = storage.createPersister(store);
    await persister.startAutoPersisting();
    store.startTransaction();
    store.setCell('t', 'mine', 'c', 'x');
    storage.data = [{t: {r: {a: 1}, theirs: {c: 'y'}}}, {}];
    storage.notify(storage.data as never);
    await settle();
    // Not applied inside the user's transaction.
    expect(store.hasRow('t', 'theirs')).toBe(false);
    store.finishTransaction();
    await until(() => storage.writeCalls.length > 0, 'the save');
    await settle();
    const expected = [{t: {r: {a: 1}, theirs: {c: 'y'}, mine: {c: 'x'}}}, {}];
    expect(store.getContent()).toEqual(expected);
    expect(storage.data).toEqual(expected);
    // Only the user's cell was written: the loaded row is not saved back.
    expect(storage.writeCalls).toEqual([[{t: {mine: {c: 'x'}}}, {}, 1]]);
    await persister.destroy();
  });

  it('3. a rollback of the user transaction undoes only the user writes, not the news', async () => {
    const storage = createManualStorage(STORED);
    storage.autoRead = true;
    storage.autoWrite = true;
    const store = createStore();
    const persister = storage.createPersister(store);
    await persister.startAutoPersisting();
    store.startTransaction();
    store.setCell('t', 'mine', 'c', 'x');
    storage.data = [{t: {r: {a: 1}, theirs: {c: 'y'}}}, {}];
    storage.notify(storage.data as never);
    await settle();
    store.finishTransaction(() => true);
    await settle();
    store.setCell('t', 'r', 'a', 2);
    await until(() => storage.writeCalls.length > 0, 'the save');
    await settle();
    const expected = [{t: {r: {a: 2}, theirs: {c: 'y'}}}, {}];
    expect(store.getContent()).toEqual(expected);
    expect(storage.data).toEqual(expected);
    await persister.destroy();
  });

  it('4. after a failed first read, an edit never overwrites storage; it is rebased and saved once storage answers', async () => {
    const storage = createManualStorage([{t: {theirs: {c: 'y'}}}, {}]);
    storage.autoWrite = true;
    const errors: unknown[] = [];
    const store = createStore();
    const persister = storage.createPersister(store, (error) => errors.push(error), {
      retry: {initialDelayMs: 5, maxDelayMs: 5},
    });
    void persister.startAutoPersisting();
    (await nextRead(storage)).fail(new Error('503 Service Unavailable'));
    await settle();
    store.setCell('t', 'mine', 'c', 'x');
    await settle();
    expect(storage.writeCalls).toEqual([]);
    // The backoff's retry reads again; this time storage answers.
    (await nextRead(storage)).release();
    await until(() => storage.writeCalls.length > 0, 'the save');
    expect(storage.writeCalls).toEqual([[{t: {mine: {c: 'x'}}}, {}, 1]]);
    expect(storage.data).toEqual([{t: {theirs: {c: 'y'}, mine: {c: 'x'}}}, {}]);
    expect(errors).toEqual([new Error('503 Service Unavailable')]);
    await persister.destroy();
  });

  it('5. startAutoPersisting(); stopAutoPersisting(); without an await ends stopped', async () => {
    const storage = createManualStorage(STORED);
    storage.autoRead = true;
    storage.autoWrite = true;
    const store = createStore();
    const persister = storage.createPersister(store);
    void persister.startAutoPersisting();
    await persister.stopAutoPersisting();
    await settle();
    expect([persister.isAutoLoading(), persister.isAutoSaving()]).toEqual([false, false]);
    expect(storage.listener).toBeUndefined();
    store.setCell('t', 'r', 'a', 2);
    await settle();
    expect(storage.writeCalls).toEqual([]);
    await persister.destroy();
  });

  it('6. a store listener that throws during a load does not make the loaded content an echo', async () => {
    const storage = createManualStorage(STORED);
    storage.autoRead = true;
    storage.autoWrite = true;
    const errors: unknown[] = [];
    const store = createStore();
    store.addRowListener(null, null, () => {
      throw new Error('listener');
    });
    const persister = storage.createPersister(store, (error) => errors.push(error));
    await persister.startAutoPersisting();
    storage.data = [{t: {r: {a: 1}, theirs: {c: 'y'}}}, {}];
    storage.notify();
    await until(() => store.hasRow('t', 'theirs'), 'the reload');
    await settle();
    expect(storage.writeCalls).toEqual([]);
    expect(errors).toEqual([new Error('listener'), new Error('listener')]);
    await persister.destroy();
  });
});
