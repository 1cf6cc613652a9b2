// The same user code against TinyBase 10 (`tinybase/persisters`) and @x: where
// the behaviour should agree, each case asserts that both give the same
// observation; where @x differs on purpose (README, "Coming from TinyBase"),
// the case asserts the difference, so a change on either side is noticed.
// `SIDE_BY_SIDE` counts them for the closing note (printed at the end).
import {createStore as createXStore} from '@x/store';
import {createStore as createTinyBaseStore} from 'tinybase';
import * as tinybasePersisters from 'tinybase/persisters';
import {afterAll, describe, expect, it} from 'vitest';
import {createCustomPersister as createXPersister, Status as XStatus} from '../src';

type Json = unknown;
type Listener = (content?: Json, changes?: Json) => void;
/** What user code calls on a persister, in both libraries. */
type AnyPersister = {
  load(initial?: Json): Promise<AnyPersister>;
  save(): Promise<AnyPersister>;
  startAutoLoad(initial?: Json): Promise<AnyPersister>;
  stopAutoLoad(): Promise<AnyPersister>;
  startAutoSave(): Promise<AnyPersister>;
  stopAutoSave(): Promise<AnyPersister>;
  startAutoPersisting(initial?: Json, startSaveFirst?: boolean): Promise<AnyPersister>;
  stopAutoPersisting(): Promise<AnyPersister>;
  isAutoLoading(): boolean;
  isAutoSaving(): boolean;
  getStatus(): number;
  addStatusListener(listener: (persister: AnyPersister, status: number) => void): string;
  schedule(...actions: (() => Promise<unknown>)[]): Promise<AnyPersister>;
  getStats(): {loads: number; saves: number};
  getStore(): unknown;
  destroy(): Promise<AnyPersister>;
  [extra: string]: unknown;
};
type AnyStore = {
  setTables(tables: Json): AnyStore;
  setValues(values: Json): AnyStore;
  setCell(tableId: string, rowId: string, cellId: string, cell: Json): AnyStore;
  setValue(valueId: string, value: Json): AnyStore;
  getContent(): Json;
};
const {createCustomPersister: createTinyBasePersister, Status: TinyBaseStatus} =
  // TinyBase types Status as a const enum, which cannot be read as an object here.
  tinybasePersisters as unknown as {createCustomPersister: unknown; Status: Library['Status']};

type Library = {
  name: 'tinybase' | '@x';
  createStore(): AnyStore;
  createCustomPersister(store: AnyStore, ...rest: unknown[]): AnyPersister;
  Status: {Idle: number; Loading: number; Saving: number};
};

const LIBRARIES: Library[] = [
  {
    name: 'tinybase',
    createStore: createTinyBaseStore as unknown as () => AnyStore,
    createCustomPersister: createTinyBasePersister as unknown as Library['createCustomPersister'],
    Status: TinyBaseStatus,
  },
  {
    name: '@x',
    createStore: createXStore as unknown as () => AnyStore,
    createCustomPersister: createXPersister as unknown as Library['createCustomPersister'],
    Status: XStatus,
  },
];

/** A storage in memory, as a user's custom persister would keep one. */
const memory = (data?: Json) => {
  const storage = {
    data,
    errors: [] as string[],
    writes: [] as Json[],
    listener: undefined as Listener | undefined,
    getPersisted: async () => structuredClone(storage.data),
    setPersisted: async (getContent: () => Json, changes?: Json) => {
      storage.writes.push(changes === undefined ? 'full' : structuredClone(changes));
      storage.data = structuredClone(getContent());
    },
    add: (listener: Listener) => {
      storage.listener = listener;
      return 'handle';
    },
    del: () => {
      storage.listener = undefined;
    },
    onIgnoredError: (error: unknown) => storage.errors.push(String(error)),
    persister(lib: Library, store: AnyStore, ...rest: unknown[]) {
      return lib.createCustomPersister(
        store,
        storage.getPersisted,
        storage.setPersisted,
        storage.add,
        storage.del,
        storage.onIgnoredError,
        ...rest,
      );
    },
  };
  return storage;
};

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

const SIDE_BY_SIDE = {checked: 0, agree: 0, differ: [] as string[]};

/** Runs `scenario` with each library; both must observe the same. */
const agrees = (name: string, scenario: (lib: Library) => Promise<Json>) =>
  it(name, async () => {
    SIDE_BY_SIDE.checked++;
    const [tinybase, x] = [await scenario(LIBRARIES[0]), await scenario(LIBRARIES[1])];
    expect(x).toEqual(tinybase);
    SIDE_BY_SIDE.agree++;
  });

/** A deliberate difference: both observations are given, so either changing shows. */
const differs = (
  name: string,
  scenario: (lib: Library) => Promise<Json>,
  expected: {tinybase: Json; x: Json},
) =>
  it(`${name} (deliberate difference)`, async () => {
    SIDE_BY_SIDE.checked++;
    expect(await scenario(LIBRARIES[0])).toEqual(expected.tinybase);
    expect(await scenario(LIBRARIES[1])).toEqual(expected.x);
    SIDE_BY_SIDE.differ.push(name);
  });

const PETS = {pets: {fido: {species: 'dog'}}};

describe('TinyBase 10 and @x side by side', () => {
  afterAll(() => {
    console.log(
      `side by side: ${SIDE_BY_SIDE.checked} behaviours checked, ${SIDE_BY_SIDE.agree} agree, ` +
        `${SIDE_BY_SIDE.differ.length} differ on purpose (${SIDE_BY_SIDE.differ.join('; ')})`,
    );
  });

  agrees('save() writes [tables, values]', async (lib) => {
    const storage = memory();
    const store = lib.createStore().setTables(PETS).setValues({open: true});
    const persister = storage.persister(lib, store);
    await persister.save();
    await persister.destroy();
    return [storage.data, storage.writes, storage.errors];
  });

  agrees('load() replaces the store with what storage holds', async (lib) => {
    const storage = memory([PETS, {open: true}]);
    const store = lib.createStore().setTables({old: {r: {c: 1}}});
    const persister = storage.persister(lib, store);
    await persister.load();
    await persister.destroy();
    return [store.getContent(), storage.errors];
  });

  agrees('load(initial) applies the initial content when nothing is persisted', async (lib) => {
    const storage = memory();
    const store = lib.createStore();
    const persister = storage.persister(lib, store);
    await persister.load([PETS, {open: true}]);
    await persister.destroy();
    return [store.getContent(), storage.data];
  });

  agrees('load(initial) ignores the initial content when storage holds some', async (lib) => {
    const storage = memory([PETS, {}]);
    const store = lib.createStore();
    const persister = storage.persister(lib, store);
    await persister.load([{other: {r: {c: 1}}}, {}]);
    await persister.destroy();
    return store.getContent();
  });

  agrees('legacy [tables]: loads the tables and keeps the store values', async (lib) => {
    const storage = memory([PETS]);
    const store = lib
      .createStore()
      .setTables({old: {r: {c: 1}}})
      .setValues({theme: 'dark'});
    const persister = storage.persister(lib, store);
    await persister.load();
    await persister.destroy();
    return [store.getContent(), storage.errors];
  });

  agrees('legacy [tables]: the next save writes [tables, values]', async (lib) => {
    const storage = memory([PETS]);
    const store = lib.createStore().setValues({theme: 'dark'});
    const persister = storage.persister(lib, store);
    await persister.load();
    await persister.save();
    await persister.destroy();
    return storage.data;
  });

  agrees('a bare tables object is refused: reported, store kept', async (lib) => {
    const storage = memory(PETS);
    const store = lib.createStore().setValues({theme: 'dark'});
    const persister = storage.persister(lib, store);
    await persister.load();
    await persister.destroy();
    return [store.getContent(), storage.errors.length];
  });

  agrees('legacy [tables] heard from storage: tables replaced, values kept', async (lib) => {
    const storage = memory([{}, {}]);
    const store = lib.createStore();
    const persister = storage.persister(lib, store);
    await persister.startAutoLoad();
    store.setValue('theme', 'dark');
    storage.listener?.([PETS]);
    await settle();
    await persister.destroy();
    return store.getContent();
  });

  agrees('unreadable content is reported and the store kept; load() resolves', async (lib) => {
    const storage = memory('garbage');
    const store = lib.createStore().setTables(PETS);
    const persister = storage.persister(lib, store);
    const resolved = (await persister.load()) === persister;
    await persister.destroy();
    return [resolved, store.getContent(), storage.errors.length];
  });

  agrees('a failing getPersisted is reported; load() resolves', async (lib) => {
    const storage = memory();
    storage.getPersisted = async () => {
      throw new Error('offline');
    };
    const store = lib.createStore().setTables(PETS);
    const persister = storage.persister(lib, store);
    const resolved = (await persister.load()) === persister;
    await persister.destroy();
    return [resolved, store.getContent(), storage.errors];
  });

  agrees('a failing setPersisted is reported; save() resolves', async (lib) => {
    const storage = memory();
    storage.setPersisted = async () => {
      throw new Error('disk full');
    };
    const persister = storage.persister(lib, lib.createStore().setTables(PETS));
    const resolved = (await persister.save()) === persister;
    await persister.destroy();
    return [resolved, storage.errors];
  });

  agrees('every start and stop method returns a promise of the persister', async (lib) => {
    const storage = memory([{}, {}]);
    const persister = storage.persister(lib, lib.createStore());
    const results = [
      await persister.startAutoLoad(),
      await persister.stopAutoLoad(),
      await persister.startAutoSave(),
      await persister.stopAutoSave(),
      await persister.startAutoPersisting(),
      await persister.stopAutoPersisting(),
      await persister.stopAutoLoad().then((same) => same),
    ];
    const destroyed = await persister.destroy();
    return [...results, destroyed].map((result) => result === persister);
  });

  agrees('isAutoLoading() and isAutoSaving() follow start and stop', async (lib) => {
    const persister = memory([{}, {}]).persister(lib, lib.createStore());
    const seen = [persister.isAutoLoading(), persister.isAutoSaving()];
    await persister.startAutoPersisting();
    seen.push(persister.isAutoLoading(), persister.isAutoSaving());
    await persister.stopAutoPersisting();
    seen.push(persister.isAutoLoading(), persister.isAutoSaving());
    await persister.destroy();
    return seen;
  });

  agrees('startAutoPersisting(initial) on empty storage applies and saves it', async (lib) => {
    const storage = memory();
    const store = lib.createStore();
    const persister = storage.persister(lib, store);
    await persister.startAutoPersisting([PETS, {open: true}]);
    await settle();
    await persister.destroy();
    return [store.getContent(), storage.data];
  });

  agrees('startAutoPersisting(content, true): startSaveFirst writes the store', async (lib) => {
    const storage = memory();
    const store = lib.createStore().setTables(PETS);
    const persister = storage.persister(lib, store);
    await persister.startAutoPersisting([{other: {r: {c: 1}}}, {}], true);
    await settle();
    const autos = [persister.isAutoLoading(), persister.isAutoSaving()];
    await persister.destroy();
    return [store.getContent(), storage.data, autos, storage.errors];
  });

  agrees('autosave sends a cell change as changes [tables, values, 1]', async (lib) => {
    const storage = memory([PETS, {}]);
    const store = lib.createStore();
    const persister = storage.persister(lib, store);
    await persister.startAutoPersisting();
    storage.writes.length = 0;
    store.setCell('pets', 'fido', 'color', 'brown');
    await settle();
    await persister.destroy();
    return [storage.writes, storage.data];
  });

  agrees('autosave sends a value change as changes', async (lib) => {
    const storage = memory([PETS, {}]);
    const store = lib.createStore();
    const persister = storage.persister(lib, store);
    await persister.startAutoPersisting();
    storage.writes.length = 0;
    store.setValue('open', false);
    await settle();
    await persister.destroy();
    return [storage.writes, storage.data];
  });

  agrees('autoload applies content heard from storage, and counts it as a load', async (lib) => {
    const storage = memory([{}, {}]);
    const store = lib.createStore();
    const persister = storage.persister(lib, store);
    await persister.startAutoLoad();
    const loads = persister.getStats().loads;
    storage.listener?.([PETS, {open: true}]);
    await settle();
    const heard = persister.getStats().loads - loads;
    await persister.destroy();
    return [store.getContent(), heard];
  });

  agrees('autoload merges changes heard from storage, and counts them as a load', async (lib) => {
    const storage = memory([PETS, {}]);
    const store = lib.createStore();
    const persister = storage.persister(lib, store);
    await persister.startAutoLoad();
    const loads = persister.getStats().loads;
    storage.listener?.(undefined, [{pets: {fido: {color: 'brown'}}}, {open: true}, 1]);
    await settle();
    const heard = persister.getStats().loads - loads;
    await persister.destroy();
    return [store.getContent(), heard];
  });

  agrees('autoload re-reads storage when the listener is called bare', async (lib) => {
    const storage = memory([{}, {}]);
    const store = lib.createStore();
    const persister = storage.persister(lib, store);
    await persister.startAutoLoad();
    storage.data = [PETS, {}];
    storage.listener?.();
    await settle();
    const stats = persister.getStats();
    await persister.destroy();
    return [store.getContent(), stats];
  });

  agrees('autoload does not save back what it heard', async (lib) => {
    const storage = memory([{}, {}]);
    const store = lib.createStore();
    const persister = storage.persister(lib, store);
    await persister.startAutoLoad();
    storage.listener?.([PETS, {}]);
    await settle();
    await persister.destroy();
    return storage.writes;
  });

  agrees('stopAutoLoad(): later news is ignored', async (lib) => {
    const storage = memory([{}, {}]);
    const store = lib.createStore();
    const persister = storage.persister(lib, store);
    await persister.startAutoLoad();
    const listener = storage.listener;
    await persister.stopAutoLoad();
    listener?.([PETS, {}]);
    await settle();
    await persister.destroy();
    return [store.getContent(), storage.listener === undefined];
  });

  agrees('stopAutoSave(): later changes are not saved', async (lib) => {
    const storage = memory([{}, {}]);
    const store = lib.createStore();
    const persister = storage.persister(lib, store);
    await persister.startAutoPersisting();
    await persister.stopAutoSave();
    store.setTables(PETS);
    await settle();
    await persister.destroy();
    return storage.data;
  });

  agrees('getStats() after one load and one save', async (lib) => {
    const storage = memory([PETS, {}]);
    const persister = storage.persister(lib, lib.createStore());
    await persister.load();
    await persister.save();
    const stats = persister.getStats();
    await persister.destroy();
    return stats;
  });

  agrees('status: Status.Loading during a load, Status.Saving during a save', async (lib) => {
    const storage = memory([PETS, {}]);
    const persister = storage.persister(lib, lib.createStore());
    const statuses: number[] = [persister.getStatus()];
    persister.addStatusListener((_, status) => statuses.push(status));
    await persister.load();
    await persister.save();
    await persister.destroy();
    const {Idle, Loading, Saving} = lib.Status;
    return [statuses, [Idle, Loading, Saving]];
  });

  agrees(
    'schedule(...actions) runs the actions in order and resolves to the persister',
    async (lib) => {
      const persister = memory().persister(lib, lib.createStore());
      const order: number[] = [];
      const result = await persister.schedule(
        async () => {
          await settle();
          order.push(1);
        },
        async () => {
          order.push(2);
        },
      );
      await persister.destroy();
      return [order, result === persister];
    },
  );

  agrees('getStore() is the store', async (lib) => {
    const store = lib.createStore();
    const persister = memory().persister(lib, store);
    await persister.destroy();
    return persister.getStore() === store;
  });

  agrees('destroy() stops autoload and autosave and removes the listener', async (lib) => {
    const storage = memory([{}, {}]);
    const persister = storage.persister(lib, lib.createStore());
    await persister.startAutoPersisting();
    await persister.destroy();
    return [persister.isAutoLoading(), persister.isAutoSaving(), storage.listener === undefined];
  });

  agrees('destroy() resolves after an async delPersisterListener finished', async (lib) => {
    const storage = memory([{}, {}]);
    let removed = false;
    storage.del = async () => {
      await settle();
      removed = true;
    };
    const persister = storage.persister(lib, lib.createStore());
    await persister.startAutoLoad();
    await persister.destroy();
    return removed;
  });

  agrees('7th/8th arguments: persist 3 and extra members (getFoo)', async (lib) => {
    const storage = memory([{}, {}]);
    const persister = storage.persister(lib, lib.createStore(), 3, {getFoo: () => 'foo'});
    const foo = (persister.getFoo as () => string)();
    await persister.destroy();
    return foo;
  });

  agrees("extra's destroy is called by destroy(), after autoload stopped", async (lib) => {
    const storage = memory([{}, {}]);
    const events: string[] = [];
    storage.del = () => {
      events.push('del');
    };
    const persister = storage.persister(lib, lib.createStore(), 1, {
      destroy: () => events.push('extra destroy'),
    });
    await persister.startAutoLoad();
    await persister.destroy();
    return [events, typeof persister.destroy];
  });

  agrees('persist 2 (MergeableStoreOnly) with a regular store throws', async (lib) => {
    const storage = memory();
    try {
      storage.persister(lib, lib.createStore(), 2);
      return 'created';
    } catch {
      return 'threw';
    }
  });

  differs(
    'startAutoSave() right after a load with nothing changed',
    async (lib) => {
      const storage = memory([PETS, {}]);
      const persister = storage.persister(lib, lib.createStore());
      await persister.startAutoPersisting();
      await persister.destroy();
      return storage.writes;
    },
    // TinyBase writes what it just loaded; @x has nothing to write.
    {tinybase: ['full'], x: []},
  );

  differs(
    'save() called during a load',
    async (lib) => {
      const storage = memory([PETS, {}]);
      const store = lib.createStore();
      const persister = storage.persister(lib, store);
      void persister.load();
      store.setValue('open', true);
      await persister.save();
      await settle();
      await persister.destroy();
      return storage.writes.length;
    },
    // TinyBase drops a save asked for while loading; @x queues it.
    {tinybase: 0, x: 1},
  );
});
