// createCustomPersister in TinyBase 10's positional form (persist, extra) next
// to ours (options), and destroy() waiting for an asynchronous
// delPersisterListener however the calls are made.

import type {Content} from '@x/store';
import {createStore} from '@x/store';
import {describe, expect, it} from 'vitest';
import {createCustomPersister, type PersistedContent, Persists} from '../src';
import {settle, until} from './helpers/manual-storage';

const memory = () => {
  const storage = {
    data: undefined as Content | undefined,
    writes: 0,
    errors: [] as unknown[],
    get: async () => storage.data,
    set: async (getContent: () => PersistedContent) => {
      storage.writes++;
      storage.data = getContent() as Content;
    },
    add: () => 'handle',
    del: () => {},
    onIgnoredError: (error: unknown) => storage.errors.push(error),
  };
  return storage;
};

const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("createCustomPersister's seventh and later arguments", () => {
  it('takes options seventh (ours)', async () => {
    const storage = memory();
    const store = createStore();
    const persister = createCustomPersister(
      store,
      storage.get,
      storage.set,
      storage.add,
      storage.del,
      storage.onIgnoredError,
      {saveDelayMs: 60},
    );
    await persister.startAutoPersisting();
    await settle(); // the first autosaves are never delayed
    const writes = storage.writes;
    store.setCell('t', 'r', 'c', 1);
    await later(20);
    expect(storage.writes).toBe(writes); // debounced: the option took effect
    await until(() => storage.writes === writes + 1, 'the debounced save');
    await persister.destroy();
  });

  it('takes persist and extra (TinyBase), and options ninth', async () => {
    const storage = memory();
    const store = createStore();
    const persister = createCustomPersister(
      store,
      storage.get,
      storage.set,
      storage.add,
      storage.del,
      storage.onIgnoredError,
      Persists.StoreOrMergeableStore,
      {getFoo: () => 'foo'},
      {saveDelayMs: 60},
    );
    expect(persister.getFoo()).toBe('foo');
    await persister.startAutoPersisting();
    await settle(); // the first autosaves are never delayed
    const writes = storage.writes;
    store.setCell('t', 'r', 'c', 1);
    await later(20);
    expect(storage.writes).toBe(writes);
    await until(() => storage.writes === writes + 1, 'the debounced save');
    await persister.destroy();
    expect(storage.errors).toEqual([]);
  });

  it('takes an undefined persist with extra', () => {
    const storage = memory();
    const persister = createCustomPersister(
      createStore(),
      storage.get,
      storage.set,
      storage.add,
      storage.del,
      undefined,
      undefined,
      {getBar: () => 2},
    );
    expect(persister.getBar()).toBe(2);
  });

  it('refuses persist 2, an unknown persist and an extra that is not an object, clearly', () => {
    const storage = memory();
    const create = (...rest: unknown[]) =>
      (createCustomPersister as (...args: unknown[]) => unknown)(
        createStore(),
        storage.get,
        storage.set,
        storage.add,
        storage.del,
        undefined,
        ...rest,
      );
    expect(() => create(2)).toThrow(
      /persist 2 \(Persists.MergeableStoreOnly\) needs a MergeableStore/,
    );
    expect(() => create(7)).toThrow(
      'createCustomPersister: the seventh argument must be an options object or persist (1, 2 or 3), got 7',
    );
    expect(() => create(1, 'extra')).toThrow(
      'createCustomPersister: extra (eighth argument) must be an object, got string',
    );
    expect(() => create({saveDelayMs: 1}, {getFoo: () => 1})).toThrow(/seventh argument/);
  });

  it('reports a throwing extra destroy, and destroy() still resolves to the persister', async () => {
    const storage = memory();
    const persister = createCustomPersister(
      createStore(),
      storage.get,
      storage.set,
      storage.add,
      storage.del,
      storage.onIgnoredError,
      1,
      {
        destroy: () => {
          throw new Error('extra destroy failed');
        },
      },
    );
    expect(await persister.destroy()).toBe(persister);
    expect(storage.errors).toEqual([new Error('extra destroy failed')]);
  });

  it('awaits an async extra destroy after the last save', async () => {
    const storage = memory();
    const events: string[] = [];
    const store = createStore();
    const persister = createCustomPersister(
      store,
      storage.get,
      async (getContent) => {
        await later(10);
        events.push('save');
        storage.data = getContent() as Content;
      },
      storage.add,
      storage.del,
      storage.onIgnoredError,
      1,
      {
        destroy: async () => {
          await later(10);
          events.push('extra destroy');
        },
      },
    );
    void persister.startAutoPersisting();
    store.setCell('t', 'r', 'c', 1);
    await persister.destroy();
    expect(events).toEqual(['save', 'extra destroy']);
  });
});

describe('destroy() and an asynchronous delPersisterListener', () => {
  const slowDel = () => {
    const state = {removed: [] as string[], added: 0};
    return {
      state,
      add: async () => {
        await later(5);
        state.added++;
        return `handle ${state.added}`;
      },
      del: async (handle: string) => {
        await later(30);
        state.removed.push(handle);
      },
    };
  };

  it('resolves after the listener was removed, with no await before destroy()', async () => {
    const {state, add, del} = slowDel();
    const persister = createCustomPersister(
      createStore(),
      async () => [{}, {}],
      async () => {},
      add,
      del,
    );
    void persister.startAutoPersisting();
    await until(() => state.added === 1, 'the listener');
    await persister.destroy();
    expect(state.removed).toEqual(['handle 1']);
  });

  it('resolves after the listener was removed when the add was still running at destroy()', async () => {
    const {state, add, del} = slowDel();
    const persister = createCustomPersister(
      createStore(),
      async () => [{}, {}],
      async () => {},
      add,
      del,
    );
    void persister.startAutoLoad();
    await settle();
    expect(state.added).toBe(0); // the add is still running
    await persister.destroy();
    expect(state.removed).toEqual(['handle 1']);
  });

  it('resolves after the listener was removed when stopAutoLoad() ran just before', async () => {
    const {state, add, del} = slowDel();
    const persister = createCustomPersister(
      createStore(),
      async () => [{}, {}],
      async () => {},
      add,
      del,
    );
    await persister.startAutoLoad();
    void persister.stopAutoLoad();
    await persister.destroy();
    expect(state.removed).toEqual(['handle 1']);
  });
});
