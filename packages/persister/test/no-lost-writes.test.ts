// Guarantee 2: every local change made while autosave is on reaches storage,
// whatever happens at the same time.
import type {Changes, Content} from '@x/store';
import {createStore} from '@x/store';
import {describe, expect, it} from 'vitest';
import {applyChangesToContent} from './helpers/content';
import {createManualStorage, nextRead, nextWrite, settle, until} from './helpers/manual-storage';

const FIDO = [{pets: {fido: {species: 'dog'}}}, {open: true}];

describe('guarantee 2: no lost writes', () => {
  it('keeps edits made while a slow startAutoPersisting load is in flight, with the loaded content', async () => {
    const storage = createManualStorage(FIDO);
    storage.autoWrite = true;
    const store = createStore();
    const persister = storage.createPersister(store);
    const starting = persister.startAutoPersisting();
    const read = await nextRead(storage);
    store.setCell('pets', 'felix', 'species', 'cat');
    store.setValue('employees', 3);
    read.release();
    await starting;
    await until(() => storage.writeCalls.length === 1, 'the save of the edits');
    const expected = [
      {pets: {fido: {species: 'dog'}, felix: {species: 'cat'}}},
      {open: true, employees: 3},
    ];
    expect(store.getContent()).toEqual(expected);
    expect(storage.data).toEqual(expected);
    // Only the edits were written, not the loaded content.
    expect(storage.writeCalls).toEqual([[{pets: {felix: {species: 'cat'}}}, {employees: 3}, 1]]);
  });

  it('keeps edits made during a slow load() while autosave is on', async () => {
    const storage = createManualStorage([{}, {}]);
    storage.autoRead = true;
    storage.autoWrite = true;
    const store = createStore();
    const persister = storage.createPersister(store);
    await persister.startAutoSave();
    storage.autoRead = false;
    storage.data = FIDO;
    const loading = persister.load();
    const read = await nextRead(storage);
    store.setCell('pets', 'fido', 'color', 'brown');
    store.delValue('missing');
    read.release();
    await loading;
    await until(() => storage.writeCalls.length >= 1, 'the save of the edit');
    await settle();
    const expected = [{pets: {fido: {species: 'dog', color: 'brown'}}}, {open: true}];
    expect(store.getContent()).toEqual(expected);
    expect(storage.data).toEqual(expected);
  });

  it('saves edits made while a save is in flight with the next save', async () => {
    const storage = createManualStorage([{}, {}]);
    storage.autoRead = true;
    const store = createStore();
    const persister = storage.createPersister(store);
    await persister.load();
    await persister.startAutoSave();
    store.setCell('t', 'r', 'a', 1);
    const first = await nextWrite(storage);
    store.setCell('t', 'r', 'b', 2);
    store.setCell('t', 's', 'a', 3);
    first.release();
    const second = await nextWrite(storage);
    expect(second.changes).toEqual([{t: {r: {b: 2}, s: {a: 3}}}, {}, 1]);
    second.release();
    await settle();
    expect(storage.data).toEqual(store.getContent());
    expect(storage.data).toEqual([{t: {r: {a: 1, b: 2}, s: {a: 3}}}, {}]);
  });

  it('re-applies unsaved local changes on top of an autoload and saves them', async () => {
    const storage = createManualStorage([{t: {r: {a: 1}}}, {}]);
    storage.autoRead = true;
    const store = createStore();
    const persister = storage.createPersister(store);
    await persister.startAutoPersisting();
    store.setCell('t', 'r', 'a', 2);
    const held = await nextWrite(storage);
    store.setCell('t', 'r', 'b', 'local'); // unsaved: a save is in flight
    // Another writer changes storage meanwhile, and says so.
    storage.data = [{t: {r: {a: 1, c: 'theirs'}, q: {z: 0}}}, {v: 1}];
    storage.notify();
    held.release();
    // The autosave of the local cell was queued before the notification: it goes first.
    const next = await nextWrite(storage);
    expect(next.changes).toEqual([{t: {r: {b: 'local'}}}, {}, 1]);
    store.setCell('t', 'r', 'd', 'later'); // unsaved again when the reload applies
    next.release();
    await until(() => storage.readCount === 2, 'the reload');
    const last = await nextWrite(storage);
    expect(store.getContent()).toEqual([
      {t: {r: {a: 2, b: 'local', c: 'theirs', d: 'later'}, q: {z: 0}}},
      {v: 1},
    ]);
    expect(last.changes).toEqual([{t: {r: {d: 'later'}}}, {}, 1]);
    last.release();
    await settle();
    expect(storage.data).toEqual(store.getContent());
  });

  it('keeps local changes made between a notification and its apply', async () => {
    const storage = createManualStorage([{t: {r: {a: 1}}}, {}]);
    storage.autoRead = true;
    storage.autoWrite = true;
    const store = createStore();
    const persister = storage.createPersister(store);
    await persister.startAutoPersisting();
    storage.autoRead = false;
    storage.data = [{t: {r: {a: 1}, other: {x: 'theirs'}}}, {}];
    storage.notify();
    const read = await nextRead(storage);
    store.setCell('t', 'mine', 'y', 'local');
    read.release();
    await until(() => storage.writeCalls.length >= 1, 'the save');
    await settle();
    expect(store.getTables()).toEqual({t: {r: {a: 1}, other: {x: 'theirs'}, mine: {y: 'local'}}});
    expect(storage.data).toEqual(store.getContent());
  });

  it('keeps debounced unsaved changes when content is heard before they are saved', async () => {
    const storage = createManualStorage([{t: {r: {a: 1}}}, {}]);
    storage.autoRead = true;
    storage.autoWrite = true;
    const store = createStore();
    const persister = storage.createPersister(store, undefined, {saveDelayMs: 20});
    await persister.startAutoPersisting();
    store.setCell('t', 'r', 'mine', true);
    storage.data = [{t: {r: {a: 5}}}, {w: 'x'}];
    storage.notify(storage.data as never);
    await settle();
    expect(store.getContent()).toEqual([{t: {r: {a: 5, mine: true}}}, {w: 'x'}]);
    await until(() => storage.writeCalls.length === 1, 'the debounced save');
    expect(storage.writeCalls[0]).toEqual([{t: {r: {mine: true}}}, {}, 1]);
    expect(storage.data).toEqual(store.getContent());
    await persister.destroy();
  });

  it('saves a row deleted then re-created while a save is in flight exactly, cell by cell', async () => {
    const storage = createManualStorage([{t: {r: {a: 1, b: 2}}}, {}]);
    storage.autoRead = true;
    const store = createStore();
    const persister = storage.createPersister(store);
    await persister.startAutoPersisting();
    store.setValue('v', 1);
    const held = await nextWrite(storage);
    store.delRow('t', 'r');
    store.setRow('t', 'r', {c: 3});
    held.release();
    const next = await nextWrite(storage);
    expect(next.changes).toEqual([{t: {r: {a: undefined, b: undefined, c: 3}}}, {}, 1]);
    next.release();
    await settle();
    expect(storage.data).toEqual([{t: {r: {c: 3}}}, {v: 1}]);
  });
  it('keeps cells another writer added to a row whose last local cell was deleted', async () => {
    const storage = createManualStorage([{t: {r: {a: 1}}}, {}]);
    storage.autoRead = true;
    const store = createStore();
    const persister = storage.createPersister(store);
    await persister.startAutoPersisting();
    storage.autoRead = false;
    // Another writer adds a cell to the row and says so...
    storage.data = [{t: {r: {a: 1, theirs: 2}}}, {}];
    storage.notify();
    const read = await nextRead(storage);
    // ...while this store deletes the row's only cell (the store reports a row deletion).
    store.delCell('t', 'r', 'a');
    read.release();
    const next = await nextWrite(storage);
    expect(store.getTables()).toEqual({t: {r: {theirs: 2}}});
    expect(next.changes).toEqual([{t: {r: {a: undefined}}}, {}, 1]);
    next.release();
    await settle();
    expect(storage.data).toEqual([{t: {r: {theirs: 2}}}, {}]);
  });

  it("saves what the user's own listeners write in reaction to loaded content", async () => {
    const storage = createManualStorage([{pets: {fido: {species: 'dog'}}}, {}]);
    storage.autoRead = true;
    storage.autoWrite = true;
    const store = createStore();
    // A derived cell, written by a listener whenever a species arrives.
    store.addCellListener('pets', null, 'species', (_store, tableId, rowId, _cellId, species) => {
      if (species !== undefined) store.setCell(tableId, rowId, 'legs', species === 'bird' ? 2 : 4);
    });
    const persister = storage.createPersister(store);
    await persister.startAutoPersisting();
    await until(() => storage.writeCalls.length === 1, 'the save of the derived cell');
    expect(storage.writeCalls[0]).toEqual([{pets: {fido: {legs: 4}}}, {}, 1]);
    const theirs: Changes = [{pets: {tweety: {species: 'bird'}}}, {}, 1];
    storage.data = applyChangesToContent(storage.data as Content, theirs);
    storage.notify(undefined, theirs);
    await until(() => storage.writeCalls.length === 2, 'the second save');
    expect(storage.writeCalls[1]).toEqual([{pets: {tweety: {legs: 2}}}, {}, 1]);
    expect(storage.data).toEqual(store.getContent());
    await persister.destroy();
  });
});
