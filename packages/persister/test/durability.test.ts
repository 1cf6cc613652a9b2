// Guarantee 5: `await save()` and `await destroy()` resolve only after every
// earlier change is persisted.
import {createStore} from '@x/store';
import {describe, expect, it} from 'vitest';
import {createManualStorage, nextWrite, settle} from './helpers/manual-storage';

const track = <T>(promise: Promise<T>) => {
  const state = {done: false};
  void promise.then(() => {
    state.done = true;
  });
  return state;
};

describe('guarantee 5: durability on demand', () => {
  it('resolves save() only after the earlier in-flight save and its own full save', async () => {
    const storage = createManualStorage([{}, {}]);
    storage.autoRead = true;
    const store = createStore();
    const persister = storage.createPersister(store);
    await persister.startAutoPersisting();
    store.setCell('t', 'r', 'a', 1);
    const inFlight = await nextWrite(storage);
    store.setCell('t', 'r', 'b', 2);
    const saving = track(persister.save());
    inFlight.release();
    // The coalesced autosave of b (queued before save()) goes next, then the full save.
    const autosave = await nextWrite(storage);
    await settle();
    expect(saving.done).toBe(false);
    autosave.release();
    const full = await nextWrite(storage);
    expect(full.changes).toBeUndefined();
    await settle();
    expect(saving.done).toBe(false);
    full.release();
    await settle();
    expect(saving.done).toBe(true);
    expect(storage.data).toEqual([{t: {r: {a: 1, b: 2}}}, {}]);
  });

  it('flushes a debounced autosave on destroy() and resolves after it is written', async () => {
    const storage = createManualStorage([{}, {}]);
    storage.autoRead = true;
    const store = createStore();
    const persister = storage.createPersister(store, undefined, {saveDelayMs: 60_000});
    await persister.startAutoPersisting();
    store.setValue('unsaved', 'yes');
    const destroying = track(persister.destroy());
    const write = await nextWrite(storage);
    expect(write.changes).toEqual([{}, {unsaved: 'yes'}, 1]);
    await settle();
    expect(destroying.done).toBe(false);
    write.release();
    await settle();
    expect(destroying.done).toBe(true);
    expect(storage.data).toEqual([{}, {unsaved: 'yes'}]);
    // Destroyed: the listener is gone and later changes are not written.
    expect(storage.listenerDels).toBe(1);
    expect(persister.isAutoSaving()).toBe(false);
    store.setValue('after', 1);
    await settle();
    expect(storage.writeCalls).toHaveLength(1);
  });

  it('resolves destroy() after a save in flight and the changes made during it', async () => {
    const storage = createManualStorage([{}, {}]);
    storage.autoRead = true;
    const store = createStore();
    const persister = storage.createPersister(store);
    await persister.startAutoPersisting();
    store.setValue('a', 1);
    const first = await nextWrite(storage);
    store.setValue('b', 2);
    const destroying = track(persister.destroy());
    first.release();
    const second = await nextWrite(storage);
    await settle();
    expect(destroying.done).toBe(false);
    second.release();
    await settle();
    expect(destroying.done).toBe(true);
    expect(storage.data).toEqual([{}, {a: 1, b: 2}]);
  });
});
