// `initial`: (tables, values), one Content tuple, or a function returning one;
// applied only when nothing is persisted.
import {createStore} from '@x/store';
import {describe, expect, it} from 'vitest';
import {createManualStorage, until} from './helpers/manual-storage';

const autoStorage = (data?: unknown) => {
  const storage = createManualStorage(data);
  storage.autoRead = true;
  storage.autoWrite = true;
  return storage;
};

describe('initial content', () => {
  it('applies (tables, values) when nothing is persisted', async () => {
    const store = createStore();
    await autoStorage()
      .createPersister(store)
      .load({pets: {fido: {species: 'dog'}}}, {open: true});
    expect(store.getContent()).toEqual([{pets: {fido: {species: 'dog'}}}, {open: true}]);
  });

  it('applies a Content tuple, or what a function returns, when storage holds null', async () => {
    const store = createStore();
    const persister = autoStorage(null).createPersister(store);
    await persister.load([{pets: {fido: {species: 'dog'}}}, {n: 1}]);
    expect(store.getContent()).toEqual([{pets: {fido: {species: 'dog'}}}, {n: 1}]);
    await persister.load(() => [{}, {n: 2}]);
    expect(store.getContent()).toEqual([{}, {n: 2}]);
  });

  it('ignores initial content when something is persisted, even an empty store', async () => {
    const store = createStore();
    await autoStorage([{}, {}])
      .createPersister(store)
      .load({pets: {fido: {species: 'dog'}}});
    expect(store.getContent()).toEqual([{}, {}]);
  });

  it('saves initial content as a local change when autopersisting an empty storage', async () => {
    const storage = autoStorage();
    const store = createStore();
    const persister = storage.createPersister(store);
    await persister.startAutoPersisting({pets: {fido: {species: 'dog'}}});
    expect(storage.data).toEqual([{pets: {fido: {species: 'dog'}}}, {}]);
    expect(storage.writeCalls).toEqual([undefined]);
    store.setCell('pets', 'fido', 'color', 'brown');
    await until(() => storage.writeCalls.length === 2);
    expect(storage.data).toEqual(store.getContent());
  });

  it('reports invalid initial content and leaves the store as it was', async () => {
    const errors: unknown[] = [];
    const store = createStore().setValue('kept', true);
    await autoStorage()
      .createPersister(store, (error) => errors.push(error))
      .load({pets: {fido: {species: new Date(0)}}} as never);
    expect(store.getContent()).toEqual([{}, {kept: true}]);
    expect((errors[0] as Error).message).toBe(
      'tables.pets.fido.species: cell must be a string, a finite number, a boolean, null, or a JSON object or array, got a Date',
    );
  });
});
