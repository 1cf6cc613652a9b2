// Status (0 idle, 1 loading, 2 saving), its listeners, and getStats counts.
import {createStore} from '@x/store';
import {describe, expect, it} from 'vitest';
import {PersisterConflictError, Status} from '../src';
import {createManualStorage, nextRead, nextWrite, settle} from './helpers/manual-storage';

describe('status and stats', () => {
  it('names the statuses as TinyBase users import them', () => {
    expect(Status).toEqual({Idle: 0, Loading: 1, Saving: 2});
  });

  it('is 1 while reading, 2 while writing, 0 otherwise, and tells its listeners', async () => {
    const storage = createManualStorage([{}, {}]);
    const store = createStore();
    const persister = storage.createPersister(store);
    const heard: [unknown, number][] = [];
    const listenerId = persister.addStatusListener((who, status) => heard.push([who, status]));
    expect(persister.getStatus()).toBe(0);
    const loading = persister.load();
    const read = await nextRead(storage);
    expect(persister.getStatus()).toBe(1);
    read.release();
    await loading;
    expect(persister.getStatus()).toBe(0);
    const saving = persister.save();
    const write = await nextWrite(storage);
    expect(persister.getStatus()).toBe(2);
    write.release();
    await saving;
    expect(persister.getStatus()).toBe(0);
    expect(heard).toEqual([
      [persister, 1],
      [persister, 0],
      [persister, 2],
      [persister, 0],
    ]);
    expect(persister.delListener(listenerId)).toBe(persister);
    storage.autoRead = true;
    await persister.load();
    expect(heard).toHaveLength(4);
  });

  it('counts every getPersisted and setPersisted call, failed ones included, and nothing else', async () => {
    const storage = createManualStorage([{t: {r: {a: 1}}}, {}]);
    storage.autoRead = true;
    const store = createStore();
    const persister = storage.createPersister(store, () => {}, {retry: false});
    expect(persister.getStats()).toEqual({loads: 0, saves: 0});
    await persister.startAutoPersisting();
    expect(persister.getStats()).toEqual({loads: 1, saves: 0});
    storage.notify([{t: {r: {a: 2}}}, {}]); // heard content: no read of storage
    store.setValue('v', 1);
    (await nextWrite(storage)).fail(new Error('nope'));
    await settle();
    expect(persister.getStats()).toEqual({loads: 1, saves: 1});
    storage.autoWrite = true;
    await persister.save();
    expect(persister.getStats()).toEqual({loads: 1, saves: 2});
    // A save with nothing to write does not reach storage and is not counted.
    await persister.stopAutoSave();
    await persister.startAutoSave();
    expect(persister.getStats()).toEqual({loads: 1, saves: 2});
    // getStats returns a copy.
    const stats = persister.getStats();
    stats.loads = 99;
    expect(persister.getStats().loads).toBe(1);
  });

  it('counts the reload and the second write of a save answered by a conflict', async () => {
    const storage = createManualStorage([{}, {}]);
    storage.autoRead = true;
    const errors: unknown[] = [];
    const store = createStore();
    const persister = storage.createPersister(store, (error) => errors.push(error));
    await persister.load();
    store.setValue('mine', 1);
    const saving = persister.save();
    storage.data = [{}, {theirs: 2}];
    (await nextWrite(storage)).fail(new PersisterConflictError());
    (await nextWrite(storage)).release();
    await saving;
    expect(persister.getStats()).toEqual({loads: 2, saves: 2});
    expect(errors).toEqual([]);
  });
});
