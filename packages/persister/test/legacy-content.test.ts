// Content as older versions stored it: `[tables]` (no values). Loaded, read
// or heard, it replaces the tables and keeps the store's values, which storage
// lacks and the next save writes (TinyBase loads it so too). A bare tables
// object is refused, as TinyBase 10 refuses it; garbage still gets a clear
// error and leaves store and storage as they were.

import type {Content} from '@x/store';
import {createStore} from '@x/store';
import {describe, expect, it} from 'vitest';
import {createCustomPersister, validatePersisted} from '../src';
import {createManualStorage, settle, until} from './helpers/manual-storage';

const PETS = {pets: {fido: {species: 'dog'}}};

describe('legacy content', () => {
  it('validatePersisted reads [tables] as [tables], and refuses a bare tables object', () => {
    expect(validatePersisted([PETS])).toEqual([PETS]);
    expect(validatePersisted([{}])).toEqual([{}]);
    expect(validatePersisted([PETS, {open: true}])).toEqual([PETS, {open: true}]);
    expect(() => validatePersisted(PETS)).toThrow(
      'content: must be an array [tables, values] of two objects, got an object',
    );
    expect(() => validatePersisted([{pets: {fido: []}}])).toThrow(
      'content: must be an array [tables, values] of two objects, got an array of 1 (not [tables] either: tables.pets.fido: row must be a plain object, got an array)',
    );
    expect(() => validatePersisted([PETS, {}, {}])).toThrow(
      'content[2].version: must be a non-negative integer, got undefined',
    );
    expect(() => validatePersisted([PETS, {}, {}, {}])).toThrow(
      'content: must be an array [tables, values] of two objects, got an array of 4',
    );
    expect(() => validatePersisted(new Date(0))).toThrow(
      'content: must be an array [tables, values] of two objects, got a Date',
    );
  });

  it("autosave after loading [tables] keeps and saves the store's values", async () => {
    // A storage that writes the whole content, as the file and Web Storage backends do.
    let data: unknown = [PETS];
    const writeCalls: unknown[] = [];
    const errors: unknown[] = [];
    const store = createStore().setValues({theme: 'dark'});
    const persister = createCustomPersister(
      store,
      async () => structuredClone(data) as Content,
      async (getContent, changes) => {
        writeCalls.push(changes);
        data = getContent();
      },
      () => 0,
      () => {},
      (error) => errors.push(error),
    );
    await persister.startAutoPersisting();
    await until(() => writeCalls.length > 0, 'the save of the values');
    await settle();
    await persister.destroy();
    expect(store.getContent()).toEqual([PETS, {theme: 'dark'}]);
    expect(data).toEqual([PETS, {theme: 'dark'}]);
    // One save, of the values storage lacked.
    expect(writeCalls).toEqual([[{}, {theme: 'dark'}, 1]]);
    expect(errors).toEqual([]);
  });

  it('loading [tables] into a store without values saves nothing', async () => {
    const storage = createManualStorage([PETS]);
    storage.autoRead = true;
    storage.autoWrite = true;
    const store = createStore();
    const persister = storage.createPersister(store);
    await persister.startAutoPersisting();
    await settle();
    await persister.destroy();
    expect(store.getContent()).toEqual([PETS, {}]);
    expect(storage.writeCalls).toEqual([]);
  });

  it('applies [tables] heard from storage, keeping the values', async () => {
    const storage = createManualStorage([{}, {}]);
    storage.autoRead = true;
    storage.autoWrite = true;
    const store = createStore();
    const persister = storage.createPersister(store);
    await persister.startAutoLoad();
    store.setValue('theme', 'dark');
    storage.notify([PETS] as never);
    await until(() => store.hasTable('pets'), 'the news');
    await persister.destroy();
    expect(store.getContent()).toEqual([PETS, {theme: 'dark'}]);
  });
});
