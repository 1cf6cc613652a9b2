// Plain load, save, autosave and autoload against a storage that answers at once.
import {createStore} from '@x/store';
import {describe, expect, it} from 'vitest';
import {createManualStorage, settle, until} from './helpers/manual-storage';

const autoStorage = (data?: unknown) => {
  const storage = createManualStorage(data);
  storage.autoRead = true;
  storage.autoWrite = true;
  return storage;
};

describe('basics', () => {
  it('saves the whole store with save() and replaces it with load()', async () => {
    const storage = autoStorage();
    const store = createStore()
      .setTables({pets: {fido: {species: 'dog'}}})
      .setValues({open: true});
    const persister = storage.createPersister(store);
    expect(await persister.save()).toBe(persister);
    expect(storage.data).toEqual([{pets: {fido: {species: 'dog'}}}, {open: true}]);
    storage.data = [{pets: {toto: {species: 'dog'}}}, {employees: 4}];
    expect(await persister.load()).toBe(persister);
    expect(store.getContent()).toEqual([{pets: {toto: {species: 'dog'}}}, {employees: 4}]);
  });

  it('autosaves each change incrementally after a first full save', async () => {
    const storage = autoStorage();
    const store = createStore().setTables({pets: {fido: {species: 'dog'}}});
    const persister = storage.createPersister(store);
    await persister.startAutoSave();
    expect(persister.isAutoSaving()).toBe(true);
    expect(storage.writeCalls).toEqual([undefined]);
    store.setCell('pets', 'fido', 'color', 'brown');
    await until(() => storage.writeCalls.length === 2, 'the autosave');
    expect(storage.writeCalls[1]).toEqual([{pets: {fido: {color: 'brown'}}}, {}, 1]);
    expect(storage.data).toEqual(store.getContent());
    persister.stopAutoSave();
    store.setCell('pets', 'fido', 'color', 'black');
    await settle();
    expect(storage.writeCalls).toHaveLength(2);
  });

  it('autoloads what another writer wrote, whichever way the listener is told', async () => {
    const storage = autoStorage([{pets: {fido: {species: 'dog'}}}, {}]);
    const store = createStore();
    const persister = storage.createPersister(store);
    await persister.startAutoLoad();
    expect(persister.isAutoLoading()).toBe(true);
    expect(store.getTables()).toEqual({pets: {fido: {species: 'dog'}}});

    storage.data = [{pets: {toto: {species: 'dog'}}}, {}];
    storage.notify();
    await until(() => store.hasRow('pets', 'toto'), 're-read');
    expect(store.getTables()).toEqual({pets: {toto: {species: 'dog'}}});

    storage.notify([{pets: {felix: {species: 'cat'}}}, {x: 1}]);
    await settle();
    expect(store.getContent()).toEqual([{pets: {felix: {species: 'cat'}}}, {x: 1}]);

    storage.notify(undefined, [{pets: {felix: {color: 'black'}}}, {x: undefined}, 1]);
    await settle();
    expect(store.getContent()).toEqual([{pets: {felix: {species: 'cat', color: 'black'}}}, {}]);

    await persister.stopAutoLoad();
    expect(storage.listenerDels).toBe(1);
    expect(persister.isAutoLoading()).toBe(false);
    expect(storage.listener).toBeUndefined();
  });

  it('persists both ways with startAutoPersisting and stops with stopAutoPersisting', async () => {
    const storage = autoStorage([{pets: {fido: {species: 'dog'}}}, {}]);
    const store = createStore();
    const persister = storage.createPersister(store);
    await persister.startAutoPersisting();
    store.setCell('pets', 'rex', 'species', 'dog');
    await until(() => Object.hasOwn((storage.data as {0: {pets: object}})[0].pets, 'rex'), 'save');
    expect(storage.data).toEqual(store.getContent());
    await persister.stopAutoPersisting();
    expect([persister.isAutoLoading(), persister.isAutoSaving()]).toEqual([false, false]);
    expect(persister.getStore()).toBe(store);
  });
});
