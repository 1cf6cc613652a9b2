// Guarantee 3: what was loaded is never saved back because it was loaded, and
// what was saved and heard back is not applied as a new change.
import {createStore} from '@x/store';
import {describe, expect, it} from 'vitest';
import {createManualStorage, nextWrite, settle, until} from './helpers/manual-storage';

const autoStorage = (data?: unknown) => {
  const storage = createManualStorage(data);
  storage.autoRead = true;
  storage.autoWrite = true;
  return storage;
};

describe('guarantee 3: no echo', () => {
  it('does not save back what a load or an autoload applied', async () => {
    const storage = autoStorage([{pets: {fido: {species: 'dog'}}}, {}]);
    const store = createStore();
    const persister = storage.createPersister(store);
    await persister.startAutoPersisting();
    // startAutoSave right after a load has nothing to write.
    expect(storage.writeCalls).toEqual([]);
    storage.notify([{pets: {toto: {species: 'dog'}}}, {}]);
    storage.notify(undefined, [{pets: {toto: {color: 'black'}}}, {}, 1]);
    storage.data = [{pets: {rex: {species: 'dog'}}}, {}];
    storage.notify();
    await until(() => store.hasRow('pets', 'rex'), 'the reload');
    await persister.load();
    await settle();
    expect(storage.writeCalls).toEqual([]);
    // Three reads of storage and the two news with data (counted as loads, as in TinyBase).
    expect(persister.getStats()).toEqual({loads: 5, saves: 0});
  });

  it('stays equal to a storage that echoes each write synchronously from inside setPersisted', async () => {
    const storage = autoStorage([{t: {r: {n: 0}}}, {}]);
    storage.echoInsideWrite = true;
    const store = createStore();
    const persister = storage.createPersister(store);
    await persister.startAutoPersisting();
    // Three transactions in a row, no await between them.
    store.setCell('t', 'r', 'n', 1);
    store.setCell('t', 's', 'm', 'x');
    store.transaction(() => {
      store.delCell('t', 'r', 'n');
      store.setValue('v', true);
    });
    await settle();
    expect(storage.data).toEqual(store.getContent());
    expect(store.getContent()).toEqual([{t: {s: {m: 'x'}}}, {v: true}]);
    // The echoes caused no further writes: one write per burst at most.
    expect(storage.writeCalls.length).toBeGreaterThanOrEqual(1);
    expect(storage.writeCalls.length).toBeLessThanOrEqual(2);
    const writes = storage.writeCalls.length;
    await settle();
    expect(storage.writeCalls).toHaveLength(writes);
  });

  it('keeps newer local changes when its own earlier write is heard back late', async () => {
    const storage = createManualStorage([{t: {r: {n: 0}}}, {}]);
    storage.autoRead = true;
    const store = createStore();
    const persister = storage.createPersister(store);
    await persister.startAutoPersisting();
    store.setCell('t', 'r', 'n', 1);
    const first = await nextWrite(storage);
    store.setCell('t', 'r', 'n', 2);
    first.release();
    const second = await nextWrite(storage);
    // The echo of the first write arrives while the second is in flight...
    storage.notify(undefined, [{t: {r: {n: 1}}}, {}, 1]);
    second.release();
    await settle();
    // ...and is applied as a no-op under the pending local value.
    expect(store.getCell('t', 'r', 'n')).toBe(2);
    expect(storage.data).toEqual(store.getContent());
    expect(storage.writeCalls).toHaveLength(2);
  });

  it('reads storage again for content heard during its own write, as that content may be older', async () => {
    const storage = createManualStorage([{t: {r: {n: 0}}}, {}]);
    storage.autoRead = true;
    const store = createStore();
    const persister = storage.createPersister(store);
    await persister.startAutoPersisting();
    store.setCell('t', 'r', 'n', 1);
    const write = await nextWrite(storage);
    storage.notify([{t: {r: {n: 0}, old: {x: 1}}}, {}]); // a stale snapshot
    write.release();
    await until(() => storage.readCount === 2, 'the re-read');
    await settle();
    expect(store.getContent()).toEqual([{t: {r: {n: 1}}}, {}]);
    expect(storage.data).toEqual(store.getContent());
  });
});
