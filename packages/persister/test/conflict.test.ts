// PersisterConflictError from setPersisted: reload, re-apply pending local
// changes, save again; give up (loudly) only after a bounded number of tries.
import {createStore} from '@x/store';
import {describe, expect, it} from 'vitest';
import {PersisterConflictError} from '../src';
import {MAX_CONFLICT_ATTEMPTS} from '../src/create-custom-persister';
import {createManualStorage, nextRead, nextWrite, settle} from './helpers/manual-storage';

describe('conflicts', () => {
  it('reloads, keeps local changes on top of the newer data and saves them, silently', async () => {
    const storage = createManualStorage([{t: {r: {a: 1}}}, {}]);
    storage.autoRead = true;
    const errors: unknown[] = [];
    const store = createStore();
    const persister = storage.createPersister(store, (error) => errors.push(error));
    await persister.startAutoPersisting();
    store.setCell('t', 'r', 'mine', 'local');
    const first = await nextWrite(storage);
    storage.data = [{t: {r: {a: 1, theirs: 'remote'}}}, {}];
    first.fail(new PersisterConflictError());
    const second = await nextWrite(storage);
    expect(second.changes).toEqual([{t: {r: {mine: 'local'}}}, {}, 1]);
    second.release();
    await settle();
    expect(store.getTables()).toEqual({t: {r: {a: 1, theirs: 'remote', mine: 'local'}}});
    expect(storage.data).toEqual(store.getContent());
    expect(errors).toEqual([]);
  });

  it('recognises a conflict error by name (another copy of the package)', async () => {
    const storage = createManualStorage([{}, {}]);
    storage.autoRead = true;
    const errors: unknown[] = [];
    const store = createStore();
    const persister = storage.createPersister(store, (error) => errors.push(error));
    await persister.startAutoPersisting();
    store.setValue('v', 1);
    const conflict = new Error('412');
    conflict.name = 'PersisterConflictError';
    (await nextWrite(storage)).fail(conflict);
    (await nextWrite(storage)).release();
    await settle();
    expect(errors).toEqual([]);
    expect(storage.data).toEqual([{}, {v: 1}]);
  });

  it('retries a conflict whose reload failed: reads again later, then saves, with no new local change', async () => {
    const storage = createManualStorage([{}, {}]);
    storage.autoRead = true;
    const errors: unknown[] = [];
    const store = createStore();
    const persister = storage.createPersister(store, (error) => errors.push(error), {
      retry: {initialDelayMs: 5, maxDelayMs: 5},
    });
    await persister.startAutoPersisting();
    store.setValue('mine', 1);
    const first = await nextWrite(storage);
    // Someone else wrote first, and the reload that the conflict needs fails (a network error).
    storage.data = [{}, {theirs: 2}];
    storage.autoRead = false;
    first.fail(new PersisterConflictError());
    (await nextRead(storage)).fail(new Error('network down'));
    // Only reads until storage answers again: no write of content it could not read.
    const retriedRead = await nextRead(storage);
    expect(storage.writeCalls).toHaveLength(1);
    storage.autoRead = true;
    retriedRead.release();
    (await nextWrite(storage)).release();
    await settle();
    expect(storage.data).toEqual([{}, {theirs: 2, mine: 1}]);
    expect(store.getValues()).toEqual({theirs: 2, mine: 1});
    expect(errors).toHaveLength(1);
    await persister.destroy();
  });

  it(`gives up after ${MAX_CONFLICT_ATTEMPTS} conflicts in a row, reports it and keeps the changes`, async () => {
    const storage = createManualStorage([{}, {}]);
    storage.autoRead = true;
    const errors: unknown[] = [];
    const store = createStore();
    const persister = storage.createPersister(store, (error) => errors.push(error), {retry: false});
    await persister.load();
    store.setValue('v', 1);
    const saving = persister.save();
    for (let attempt = 0; attempt < MAX_CONFLICT_ATTEMPTS; attempt++) {
      (await nextWrite(storage)).fail(new PersisterConflictError());
    }
    await saving;
    expect(storage.writeCalls).toHaveLength(MAX_CONFLICT_ATTEMPTS);
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toMatch(/gave up saving after 5 conflicts/);
    expect(store.getValues()).toEqual({v: 1});
    storage.autoWrite = true;
    await persister.save();
    expect(storage.data).toEqual([{}, {v: 1}]);
  });
});
