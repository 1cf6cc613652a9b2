// Races found in review of the rebuilt core, kept as tests: a user transaction
// opened in the same synchronous step as the previous one finishes, a save that
// would read an uncommitted value, a read that failed before autosave started,
// storage emptied by someone else, and save() on garbage it never read.
import {createStore} from '@x/store';
import {describe, expect, it} from 'vitest';
import {createManualStorage, nextRead, nextWrite, settle, until} from './helpers/manual-storage';

const autoStorage = (data?: unknown) => {
  const storage = createManualStorage(data);
  storage.autoRead = true;
  storage.autoWrite = true;
  return storage;
};

describe('transactions opened back to back, and liveness', () => {
  for (const rollback of [true, false]) {
    it(`applies news only outside a transaction opened as the previous one finishes (${rollback ? 'rolled back' : 'committed'})`, async () => {
      const storage = autoStorage([{t: {r: {a: 1}}}, {}]);
      const store = createStore();
      const persister = storage.createPersister(store);
      await persister.startAutoPersisting();
      store.startTransaction();
      store.setCell('t', 'mine', 'c', 1);
      storage.data = [{t: {r: {a: 1}, other: {e: 5}}}, {}];
      storage.notify(storage.data as never);
      await settle();
      store.finishTransaction();
      store.startTransaction();
      store.setCell('t', 'mine', 'c', 2);
      await settle();
      expect(store.hasRow('t', 'other')).toBe(false);
      store.finishTransaction(rollback ? () => true : undefined);
      await settle();
      await persister.save();
      expect((storage.data as [{t: object}])[0].t).toEqual({
        r: {a: 1},
        other: {e: 5},
        mine: {c: rollback ? 1 : 2},
      });
      expect(storage.writeCalls.some((changes) => changes && 'other' in changes[0].t!)).toBe(false);
      await persister.destroy();
    });
  }

  it('never keeps in storage a value that a user transaction rolled back', async () => {
    const storage = createManualStorage([{t: {r: {x: 0}}}, {}]);
    storage.autoRead = true;
    const store = createStore();
    const persister = storage.createPersister(store);
    await persister.startAutoPersisting();
    store.setCell('t', 'r', 'x', 1);
    const first = await nextWrite(storage);
    store.setCell('t', 'r', 'x', 2);
    store.startTransaction();
    first.release();
    await settle();
    store.finishTransaction();
    store.startTransaction();
    store.setCell('t', 'r', 'x', 5);
    await settle();
    store.finishTransaction(() => true);
    storage.autoWrite = true;
    for (const write of [...storage.writes]) write.release();
    await until(() => (storage.data as [{t: {r: {x: number}}}])[0].t.r.x === 2, 'x = 2 saved');
    await settle();
    expect(storage.data).toEqual([{t: {r: {x: 2}}}, {}]);
    expect(store.getCell('t', 'r', 'x')).toBe(2);
    await persister.destroy();
  });

  it('retries a read that failed before autosave started, and then saves the edit', async () => {
    const storage = createManualStorage([{t: {r: {a: 1}}}, {}]);
    storage.autoWrite = true;
    const errors: unknown[] = [];
    const store = createStore();
    const persister = storage.createPersister(store, (error) => errors.push(error), {
      retry: {initialDelayMs: 1, maxDelayMs: 2},
    });
    const loading = persister.startAutoLoad();
    (await nextRead(storage)).fail(new Error('offline'));
    await loading;
    await persister.startAutoSave();
    store.setCell('t', 'r', 'b', 2);
    storage.autoRead = true;
    await until(() => storage.writeCalls.length > 0, 'the save after the retried read');
    await persister.destroy();
    expect(storage.data).toEqual([{t: {r: {a: 1, b: 2}}}, {}]);
    expect(errors).toEqual([new Error('offline')]);
  });

  it('says so when destroy() leaves local changes unsaved', async () => {
    const storage = createManualStorage('<html>login</html>');
    storage.autoRead = true;
    const errors: unknown[] = [];
    const store = createStore();
    const persister = storage.createPersister(store, (error) => errors.push(error));
    await persister.startAutoPersisting();
    store.setValue('v', 1);
    await persister.destroy();
    expect(storage.data).toBe('<html>login</html>');
    expect(String(errors.at(-1))).toMatch(/Destroyed with local changes that could not be saved/);
  });

  it('does not write loaded content back when someone else empties storage', async () => {
    const storage = autoStorage([{t: {r: {a: 1}}}, {}]);
    const store = createStore();
    const persister = storage.createPersister(store);
    await persister.startAutoPersisting();
    storage.data = undefined;
    storage.notify();
    await settle();
    expect(storage.writeCalls).toEqual([]);
    // The store keeps its data, and the next change saves all of it.
    store.setValue('v', 1);
    await until(() => storage.writeCalls.length === 1, 'the save');
    expect(storage.data).toEqual([{t: {r: {a: 1}}}, {v: 1}]);
    await persister.destroy();
  });

  it('reads before save() on a fresh persister, and writes nothing over garbage', async () => {
    const storage = autoStorage('<html>login</html>');
    const errors: unknown[] = [];
    const store = createStore().setCell('t', 'r', 'a', 1);
    const persister = storage.createPersister(store, (error) => errors.push(error));
    await persister.save();
    expect(storage.data).toBe('<html>login</html>');
    expect(String(errors.at(-1))).toMatch(/save\(\{overwrite: true\}\)/);
    await persister.save({overwrite: true});
    expect(storage.data).toEqual([{t: {r: {a: 1}}}, {}]);
    await persister.destroy();
  });
});
