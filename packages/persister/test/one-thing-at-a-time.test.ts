// Guarantee 1: loads and saves never overlap and run in call order.
import {createStore} from '@x/store';
import {describe, expect, it} from 'vitest';
import {createManualStorage, nextRead, nextWrite, settle} from './helpers/manual-storage';

const FIDO = [{pets: {fido: {species: 'dog'}}}, {}];

describe('guarantee 1: one thing at a time', () => {
  it('queues a save() called during a load and runs it after the load applied', async () => {
    const storage = createManualStorage(FIDO);
    const store = createStore();
    const persister = storage.createPersister(store);
    const loading = persister.load();
    const read = await nextRead(storage);
    const saving = persister.save();
    await settle();
    expect(storage.writeCalls).toHaveLength(0);
    read.release();
    const write = await nextWrite(storage);
    expect(write.content).toEqual(FIDO);
    write.release();
    await Promise.all([loading, saving]);
    expect(storage.readCount).toBe(1);
    expect(storage.writeCalls).toEqual([undefined]);
  });

  it('queues a load() called during a save and reads what the save wrote', async () => {
    const storage = createManualStorage();
    const store = createStore().setTables({pets: {felix: {species: 'cat'}}});
    const persister = storage.createPersister(store);
    const saving = persister.save();
    // A save to storage it never read reads it first.
    (await nextRead(storage)).release();
    const write = await nextWrite(storage);
    const loading = persister.load();
    await settle();
    expect(storage.readCount).toBe(1);
    write.release();
    const read = await nextRead(storage);
    expect(storage.data).toEqual([{pets: {felix: {species: 'cat'}}}, {}]);
    read.release();
    await Promise.all([saving, loading]);
    expect(store.getTables()).toEqual({pets: {felix: {species: 'cat'}}});
  });

  it('runs interleaved calls strictly one after another, in call order', async () => {
    const storage = createManualStorage(FIDO);
    const store = createStore();
    const persister = storage.createPersister(store);
    const log: string[] = [];
    const calls = [
      persister.load().then(() => log.push('load 1')),
      persister.save().then(() => log.push('save 1')),
      persister
        .schedule(async () =>
          log.push(
            `action after ${storage.readCount} read, ${storage.writes.length + storage.writeCalls.length} writes`,
          ),
        )
        .then(() => log.push('schedule')),
      persister.load().then(() => log.push('load 2')),
      persister.save().then(() => log.push('save 2')),
    ];
    for (const kind of ['read', 'write', 'read', 'write']) {
      const held = kind === 'read' ? await nextRead(storage) : await nextWrite(storage);
      // Exactly one storage call is open at any time.
      expect(storage.reads.length + storage.writes.length).toBe(1);
      held.release();
    }
    await Promise.all(calls);
    expect(log.filter((entry) => !entry.startsWith('action'))).toEqual([
      'load 1',
      'save 1',
      'schedule',
      'load 2',
      'save 2',
    ]);
    // The action ran in its turn: after the first load and save, before the second ones.
    expect(log.find((entry) => entry.startsWith('action'))).toBe('action after 1 read, 1 writes');
  });

  it('lets a throwing scheduled action pass and goes on with the queue', async () => {
    const storage = createManualStorage(FIDO);
    storage.autoRead = true;
    const errors: unknown[] = [];
    const persister = storage.createPersister(createStore(), (error) => errors.push(error));
    await persister.schedule(async () => {
      throw new Error('boom');
    });
    await persister.load();
    expect(errors).toEqual([new Error('boom')]);
    expect(persister.getStore().getTables()).toEqual(FIDO[0]);
  });
});
