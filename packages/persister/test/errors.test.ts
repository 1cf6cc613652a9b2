// Guarantee 6: errors are loud (onIgnoredError, else console.error) and never
// fatal: no rejected promise, no changed store, no lost pending changes.
import {createStore} from '@x/store';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {createManualStorage, nextRead, nextWrite, settle, until} from './helpers/manual-storage';

afterEach(() => {
  vi.restoreAllMocks();
});

const FAST_RETRY = {retry: {initialDelayMs: 2, maxDelayMs: 10}};

describe('guarantee 6: errors are loud, not fatal', () => {
  it('retries an autosave whose setPersisted fails twice, reporting each failure', async () => {
    const storage = createManualStorage([{}, {}]);
    storage.autoRead = true;
    const errors: unknown[] = [];
    const store = createStore();
    const persister = storage.createPersister(store, (error) => errors.push(error), FAST_RETRY);
    await persister.startAutoPersisting();
    store.setCell('t', 'r', 'a', 1);
    (await nextWrite(storage)).fail(new Error('disk full'));
    store.setCell('t', 'r', 'b', 2);
    const retried = await nextWrite(storage);
    expect(retried.changes).toEqual([{t: {r: {a: 1, b: 2}}}, {}, 1]);
    retried.fail(new Error('disk still full'));
    const third = await nextWrite(storage);
    expect(third.changes).toEqual([{t: {r: {a: 1, b: 2}}}, {}, 1]);
    third.release();
    await settle();
    expect(errors).toEqual([new Error('disk full'), new Error('disk still full')]);
    expect(storage.data).toEqual([{t: {r: {a: 1, b: 2}}}, {}]);
    expect(persister.getStats().saves).toBe(3);
    await persister.destroy();
  });

  it('reports to console.error when no onIgnoredError is given', async () => {
    const logged: unknown[] = [];
    vi.spyOn(console, 'error').mockImplementation((error: unknown) => {
      logged.push(error);
    });
    const storage = createManualStorage([{}, {}]);
    storage.autoRead = true;
    const store = createStore();
    const persister = storage.createPersister(store, undefined, FAST_RETRY);
    await persister.startAutoPersisting();
    store.setValue('v', 1);
    (await nextWrite(storage)).fail(new Error('offline'));
    (await nextWrite(storage)).fail(new Error('offline again'));
    (await nextWrite(storage)).release();
    await settle();
    expect(logged).toEqual([new Error('offline'), new Error('offline again')]);
    expect(storage.data).toEqual([{}, {v: 1}]);
    await persister.destroy();
  });

  it('never rejects save() or load(), and leaves the store as it was', async () => {
    const storage = createManualStorage();
    const errors: unknown[] = [];
    const store = createStore().setValue('mine', true);
    const persister = storage.createPersister(store, (error) => errors.push(error));
    const saving = persister.save();
    (await nextRead(storage)).release();
    (await nextWrite(storage)).fail(new Error('EACCES'));
    await expect(saving).resolves.toBe(persister);
    const loading = persister.load();
    (await nextRead(storage)).fail(new SyntaxError('Unexpected token'));
    await expect(loading).resolves.toBe(persister);
    expect(store.getContent()).toEqual([{}, {mine: true}]);
    expect(errors).toEqual([new Error('EACCES'), new SyntaxError('Unexpected token')]);
    expect(persister.getStatus()).toBe(0);
  });

  it('reads again before an explicit save over storage it could not read, and writes nothing while it still cannot', async () => {
    const storage = createManualStorage([{t: {r: {a: 1}}}, {}]);
    const errors: unknown[] = [];
    const store = createStore().setValue('mine', true);
    const persister = storage.createPersister(store, (error) => errors.push(error));
    const loading = persister.load();
    (await nextRead(storage)).fail(new Error('503'));
    await loading;
    const saving = persister.save();
    (await nextRead(storage)).fail(new Error('503 again'));
    await saving;
    expect(storage.writeCalls).toEqual([]);
    expect(errors.map((error) => (error as Error).message)).toEqual([
      '503',
      '503 again',
      'Not saved: storage could not be read, and a save never replaces what it could not read. Call save({overwrite: true}) to replace it on purpose.',
    ]);
    // Once storage answers, save() writes what was read with the store's own changes on top.
    storage.autoRead = true;
    storage.autoWrite = true;
    store.setValue('later', 1);
    await persister.save();
    expect(storage.data).toEqual([{t: {r: {a: 1}}}, {later: 1}]);
    expect(store.getContent()).toEqual(storage.data);
  });

  it('sends the changes of a failed save with the next save when retries are off', async () => {
    const storage = createManualStorage([{}, {}]);
    storage.autoRead = true;
    const store = createStore();
    const persister = storage.createPersister(store, () => {}, {retry: false});
    await persister.startAutoPersisting();
    store.setValue('a', 1);
    (await nextWrite(storage)).fail(new Error('nope'));
    await settle();
    expect(storage.writeCalls).toHaveLength(1);
    store.setValue('b', 2);
    const next = await nextWrite(storage);
    expect(next.changes).toEqual([{}, {a: 1, b: 2}, 1]);
    next.release();
    await settle();
    expect(storage.data).toEqual([{}, {a: 1, b: 2}]);
  });

  it('stops retrying on stopAutoSave and destroy (no timer left behind)', async () => {
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']});
    try {
      const storage = createManualStorage([{}, {}]);
      storage.autoRead = true;
      const store = createStore();
      const persister = storage.createPersister(store, () => {}, FAST_RETRY);
      await persister.startAutoPersisting();
      store.setValue('a', 1);
      (await nextWrite(storage)).fail(new Error('nope'));
      await settle();
      expect(vi.getTimerCount()).toBe(1);
      void persister.stopAutoSave();
      expect(vi.getTimerCount()).toBe(0);
      await vi.advanceTimersByTimeAsync(1000);
      expect(storage.writeCalls).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('backs off exponentially between retries, up to maxDelayMs', async () => {
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']});
    try {
      const storage = createManualStorage([{}, {}]);
      storage.autoRead = true;
      const store = createStore();
      const persister = storage.createPersister(store, () => {}, {
        retry: {initialDelayMs: 100, maxDelayMs: 400},
      });
      await persister.startAutoPersisting();
      store.setValue('a', 1);
      const failedAt: number[] = [];
      let now = 0;
      for (let attempt = 0; attempt < 5; attempt++) {
        // Step time 10 ms at a time until the next write shows up.
        while (storage.writes.length === 0 && now < 5000) {
          await vi.advanceTimersByTimeAsync(10);
          now += 10;
        }
        failedAt.push(now);
        storage.writes[0].fail(new Error('down'));
        await settle();
      }
      const gaps = failedAt.slice(1).map((at, index) => at - failedAt[index]);
      // Equal jitter: each delay lies in [ceiling / 2, ceiling], ceiling = min(400, 100 * 2^n).
      const ceilings = [100, 200, 400, 400];
      gaps.forEach((gap, index) => {
        expect(gap).toBeGreaterThanOrEqual(ceilings[index] / 2);
        expect(gap).toBeLessThanOrEqual(ceilings[index] + 10);
      });
      storage.autoWrite = true;
      await persister.destroy();
      expect(storage.data).toEqual([{}, {a: 1}]);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('is not wedged by a throwing status listener or a throwing onIgnoredError', async () => {
    const logged: unknown[] = [];
    vi.spyOn(console, 'error').mockImplementation((error: unknown) => {
      logged.push(error);
    });
    const storage = createManualStorage([{t: {r: {a: 1}}}, {}]);
    storage.autoRead = true;
    storage.autoWrite = true;
    const store = createStore();
    const persister = storage.createPersister(store, () => {
      throw new Error('onIgnoredError broke');
    });
    persister.addStatusListener(() => {
      throw new Error('status listener broke');
    });
    await persister.load();
    await persister.save();
    expect(persister.getStatus()).toBe(0);
    expect(store.getTables()).toEqual({t: {r: {a: 1}}});
    // Each status change (1, 0, 2, 0) threw; each report then threw too and went to console.error.
    expect(logged).toHaveLength(4);
    expect(logged.every((error) => (error as Error).message === 'onIgnoredError broke')).toBe(true);
    await until(() => persister.getStats().saves === 1);
    expect(persister.getStats()).toEqual({loads: 1, saves: 1});
  });
});
