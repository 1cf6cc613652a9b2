// Starting, stopping and destroying: listeners come and go, late callbacks are
// ignored, and a destroyed persister does nothing.
import {createStore} from '@x/store';
import {describe, expect, it} from 'vitest';
import {createCustomPersister} from '../src';
import {createManualStorage, settle, until} from './helpers/manual-storage';

const autoStorage = (data?: unknown) => {
  const storage = createManualStorage(data);
  storage.autoRead = true;
  storage.autoWrite = true;
  return storage;
};

describe('lifecycle', () => {
  it('ignores a listener called after stopAutoLoad', async () => {
    const storage = autoStorage([{}, {}]);
    const store = createStore();
    const persister = storage.createPersister(store);
    await persister.startAutoLoad();
    const listener = storage.listener!;
    void persister.stopAutoLoad();
    listener([{t: {r: {a: 1}}}, {}]);
    listener();
    await settle();
    expect(store.getContent()).toEqual([{}, {}]);
    expect(storage.readCount).toBe(1);
  });

  it('adds the listener once however often startAutoLoad is called', async () => {
    const storage = autoStorage([{}, {}]);
    const persister = storage.createPersister(createStore());
    await Promise.all([persister.startAutoLoad(), persister.startAutoLoad()]);
    await persister.startAutoLoad();
    expect(storage.listenerAdds).toBe(1);
    await persister.destroy();
    expect(storage.listenerDels).toBe(1);
  });

  it('reports a throwing addPersisterListener, still loads, and is not autoloading', async () => {
    const errors: unknown[] = [];
    const store = createStore();
    const persister = createCustomPersister(
      store,
      async () => [{t: {r: {a: 1}}}, {}],
      async () => {},
      () => {
        throw new Error('cannot watch');
      },
      () => {},
      (error) => errors.push(error),
    );
    await persister.startAutoLoad();
    expect(errors).toEqual([new Error('cannot watch')]);
    expect(persister.isAutoLoading()).toBe(false);
    expect(store.getTables()).toEqual({t: {r: {a: 1}}});
  });

  it('never adds a listener when stopAutoLoad follows startAutoLoad without an await', async () => {
    let adds = 0;
    const persister = createCustomPersister(
      createStore(),
      async () => undefined,
      async () => {},
      () => {
        adds++;
        return 'handle';
      },
      () => {},
    );
    void persister.startAutoLoad();
    await persister.stopAutoLoad();
    expect(adds).toBe(0);
    expect(persister.isAutoLoading()).toBe(false);
  });

  it('removes a listener whose asynchronous add resolves after stopAutoLoad', async () => {
    let resolveAdd: ((handle: string) => void) | undefined;
    const removed: string[] = [];
    const persister = createCustomPersister(
      createStore(),
      async () => undefined,
      async () => {},
      () => new Promise<string>((resolve) => (resolveAdd = resolve)),
      (handle) => {
        removed.push(handle);
      },
    );
    const starting = persister.startAutoLoad();
    await until(() => resolveAdd !== undefined, 'the add');
    const stopping = persister.stopAutoLoad();
    resolveAdd?.('late handle');
    await starting;
    await stopping;
    expect(removed).toEqual(['late handle']);
    expect(persister.isAutoLoading()).toBe(false);
  });

  it('does nothing once destroyed, and destroy() is idempotent', async () => {
    const storage = autoStorage([{}, {}]);
    const store = createStore();
    const persister = storage.createPersister(store);
    await persister.startAutoPersisting();
    const destroying = persister.destroy();
    expect(persister.destroy()).toBe(destroying);
    await destroying;
    expect(await persister.save()).toBe(persister);
    expect(await persister.load()).toBe(persister);
    expect(await persister.startAutoPersisting()).toBe(persister);
    store.setValue('after', true);
    await settle();
    expect(storage.readCount).toBe(1);
    expect(storage.writeCalls).toEqual([]);
    expect([persister.isAutoLoading(), persister.isAutoSaving()]).toEqual([false, false]);
  });

  it('removes its store listener on destroy', async () => {
    const store = createStore();
    const count = () => {
      const {transaction, cell, value} = store.getListenerStats();
      return transaction + cell + value;
    };
    const before = count();
    const persister = autoStorage().createPersister(store);
    expect(count()).toBeGreaterThan(before);
    await persister.destroy();
    expect(count()).toBe(before);
  });
});
