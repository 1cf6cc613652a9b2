// Guarantee 4: while a save is in flight further autosaves merge into one
// pending save; saveDelayMs debounces with a maximum wait.
import {createStore} from '@x/store';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {createManualStorage, nextWrite, settle} from './helpers/manual-storage';

afterEach(() => {
  vi.useRealTimers();
});

describe('guarantee 4: coalescing', () => {
  it('costs at most two more writes for 1,000 transactions made while one save is held', async () => {
    const storage = createManualStorage([{}, {}]);
    storage.autoRead = true;
    const store = createStore();
    const persister = storage.createPersister(store);
    await persister.startAutoPersisting();
    store.setCell('t', 'first', 'n', 0);
    const held = await nextWrite(storage);
    const callsBefore = storage.writeCalls.length;
    for (let index = 0; index < 1000; index++) {
      store.setCell('t', `row${index % 100}`, 'n', index);
      if (index % 7 === 0) store.setValue(`v${index % 10}`, index);
      if (index % 50 === 0) store.delRow('t', `row${(index + 1) % 100}`);
    }
    await settle();
    expect(storage.writeCalls.length).toBe(callsBefore);
    storage.autoWrite = true;
    held.release();
    await settle();
    expect(storage.writeCalls.length - callsBefore).toBeLessThanOrEqual(2);
    expect(storage.data).toEqual(store.getContent());
  });

  it('debounces autosaves by saveDelayMs', async () => {
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout', 'Date']});
    const storage = createManualStorage([{}, {}]);
    storage.autoRead = true;
    storage.autoWrite = true;
    const store = createStore();
    const persister = storage.createPersister(store, undefined, {saveDelayMs: 100});
    await persister.startAutoPersisting();
    for (let index = 0; index < 5; index++) {
      store.setValue('n', index);
      await vi.advanceTimersByTimeAsync(50);
    }
    expect(storage.writeCalls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(100);
    await settle();
    expect(storage.writeCalls).toEqual([[{}, {n: 4}, 1]]);
  });

  it('saves at the latest maxSaveDelayMs after the first unsaved change', async () => {
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout', 'Date']});
    const storage = createManualStorage([{}, {}]);
    storage.autoRead = true;
    storage.autoWrite = true;
    const store = createStore();
    const persister = storage.createPersister(store, undefined, {
      saveDelayMs: 100,
      maxSaveDelayMs: 300,
    });
    await persister.startAutoPersisting();
    // A change every 50 ms never leaves a 100 ms pause.
    for (let index = 0; index < 7; index++) {
      store.setValue('n', index);
      await vi.advanceTimersByTimeAsync(50);
    }
    await settle();
    expect(storage.writeCalls).toHaveLength(1);
    expect(storage.writeCalls[0]).toEqual([{}, {n: 5}, 1]);
  });
});
