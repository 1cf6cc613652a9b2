// Versions of the data's shape, in the core: the stored version is checked and
// never trusted, older data is migrated once and saved whole with the new
// version, newer data and failed migrations load nothing and write nothing
// (automatic saves, explicit saves, news of either kind), and the options are
// checked when the persister is created.
import type {Content} from '@x/store';
import {createStore} from '@x/store';
import {describe, expect, it} from 'vitest';
import {
  createIncrementalPersister,
  type Migrate,
  PersisterConflictError,
  PersisterVersionError,
  validatePersisted,
} from '../src';
import {createManualStorage, settle, until} from './helpers/manual-storage';

const V1: Content = [{pets: {fido: {kind: 'dog'}}}, {}];
const renameKind: Migrate = ([tables, values]) => [
  {pets: {fido: {species: tables.pets.fido.kind}}},
  values,
];

/** A storage that answers at once, and the errors its persister reported. */
const started = async (
  data: unknown,
  options: Parameters<typeof createManualStorage>[0] = data,
) => {
  const storage = createManualStorage(options);
  storage.autoRead = true;
  storage.autoWrite = true;
  return storage;
};

describe('stored versions', () => {
  it('refuses versions that are not non-negative integers, naming the path', () => {
    for (const version of [-1, 1.5, '2', null, 2 ** 60, Number.NaN])
      expect(() => validatePersisted([{}, {}, {version}])).toThrow(
        /content\[2\]\.version: must be a non-negative integer/,
      );
    expect(() => validatePersisted([{}, {}, []])).toThrow('content[2]: must be {version}');
    expect(validatePersisted([{}, {}, {version: 0}])).toEqual([{}, {}, {version: 0}]);
  });

  it('reports stored data with a bad version, leaves the store alone and never writes over it', async () => {
    for (const meta of [{version: -1}, {version: '2'}, {}, 'v2', {version: 1.5}]) {
      const stored = [{pets: {fido: {species: 'dog'}}}, {}, meta];
      const storage = await started(stored);
      const errors: unknown[] = [];
      const store = createStore().setCell('pets', 'local', 'species', 'cat');
      const persister = storage.createPersister(store, (error) => errors.push(error), {
        version: 2,
      });
      void persister.startAutoPersisting();
      store.setCell('pets', 'local', 'legs', 4);
      await persister.save();
      await settle();
      expect(storage.data).toEqual(stored);
      expect(store.getContent()).toEqual([{pets: {local: {species: 'cat', legs: 4}}}, {}]);
      expect(String(errors[0])).toMatch(/content\[2\]/);
      await persister.destroy();
    }
  });

  it('reports data newer than the app as a PersisterVersionError with both versions; nothing is loaded or written', async () => {
    const newer = [{pets: {fido: {species: 'dog'}}}, {}, {version: 1e9}];
    const storage = await started(newer);
    const errors: unknown[] = [];
    const store = createStore();
    const persister = storage.createPersister(store, (error) => errors.push(error), {version: 2});
    await persister.startAutoPersisting();
    store.setCell('pets', 'rex', 'species', 'cat');
    await persister.save();
    await settle();
    expect(storage.data).toEqual(newer);
    expect(store.getContent()).toEqual([{pets: {rex: {species: 'cat'}}}, {}]);
    const versionError = errors.find((error) => error instanceof PersisterVersionError);
    expect(versionError).toMatchObject({storedVersion: 1e9, appVersion: 2});
    expect(String(versionError)).toContain('newer than this app');
    // Only an explicit overwrite replaces it (the documented way).
    await persister.save({overwrite: true});
    expect(storage.data).toEqual([{pets: {rex: {species: 'cat'}}}, {}, {version: 2}]);
    await persister.destroy();
  });

  it('does not re-read newer data on a timer; news makes it read again, and pending edits go out once it can load', async () => {
    const storage = await started([{pets: {}}, {}, {version: 3}]);
    const errors: unknown[] = [];
    const store = createStore();
    const persister = storage.createPersister(store, (error) => errors.push(error), {
      version: 2,
      retry: {initialDelayMs: 1, maxDelayMs: 2},
    });
    await persister.startAutoPersisting();
    store.setCell('pets', 'rex', 'species', 'cat');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(storage.readCount).toBe(1);
    expect(errors.length).toBe(1);
    // Someone puts version 2 data back (an overwrite by an app of this version): news.
    storage.data = [{pets: {fido: {species: 'dog'}}}, {}, {version: 2}];
    storage.notify();
    await until(
      () => JSON.stringify(storage.data).includes('rex'),
      'the pending edit saved on top of what could be read',
    );
    expect(storage.data).toEqual([
      {pets: {fido: {species: 'dog'}, rex: {species: 'cat'}}},
      {},
      {version: 2},
    ]);
    await persister.destroy();
  });

  it('checks the options when the persister is created', () => {
    const storage = createManualStorage();
    for (const version of [-1, 1.5, '1', Number.POSITIVE_INFINITY])
      expect(() =>
        storage.createPersister(createStore(), undefined, {version: version as number}),
      ).toThrow('options.version must be a non-negative integer');
    expect(() =>
      storage.createPersister(createStore(), undefined, {version: 1, migrate: 'x' as never}),
    ).toThrow('options.migrate must be a function');
    const rowStorage = {
      getPersisted: async () => undefined,
      putRows: async () => {},
      delRows: async () => {},
      delTable: async () => {},
      putValues: async () => {},
      delValues: async () => {},
      clear: async () => {},
    };
    expect(() =>
      createIncrementalPersister(createStore(), rowStorage, undefined, {version: 1}),
    ).toThrow('needs storage with replaceAll');
  });
});

describe('migrations', () => {
  it('migrates with an async migrate, each step seeing the stored version, and saves whole with the new one', async () => {
    const storage = await started(V1);
    const seen: number[] = [];
    const store = createStore();
    const persister = storage.createPersister(store, undefined, {
      version: 3,
      migrate: async (content, fromVersion) => {
        seen.push(fromVersion);
        await settle();
        return renameKind(content, fromVersion);
      },
    });
    await persister.startAutoPersisting();
    await until(() => storage.writeCalls.length > 0, 'the save of the migrated data');
    expect(seen).toEqual([0]);
    expect(storage.writeCalls).toEqual([undefined]); // one full save
    expect(storage.data).toEqual([{pets: {fido: {species: 'dog'}}}, {}, {version: 3}]);
    expect(store.getContent()).toEqual([{pets: {fido: {species: 'dog'}}}, {}]);
    await persister.destroy();
  });

  it('does not save migrated data by itself without autosave: the next save writes it with the new version', async () => {
    const storage = await started(V1);
    const store = createStore();
    const persister = storage.createPersister(store, undefined, {version: 2, migrate: renameKind});
    await persister.load();
    expect(storage.data).toEqual(V1);
    await persister.save();
    expect(storage.data).toEqual([{pets: {fido: {species: 'dog'}}}, {}, {version: 2}]);
    await persister.destroy();
  });

  it('migrates [tables] (older apps) from no values', async () => {
    const storage = await started([{pets: {fido: {kind: 'dog'}}}]);
    const inputs: unknown[] = [];
    const store = createStore().setValue('open', true);
    const persister = storage.createPersister(store, undefined, {
      version: 1,
      migrate: (content, fromVersion) => {
        inputs.push(content);
        return renameKind(content, fromVersion);
      },
    });
    await persister.load();
    expect(inputs).toEqual([[{pets: {fido: {kind: 'dog'}}}, {}]]);
    expect(store.getContent()).toEqual([{pets: {fido: {species: 'dog'}}}, {}]);
    await persister.destroy();
  });

  it('a migration that mutates what it is given and then throws leaves the store and storage as they were', async () => {
    const storage = await started(V1);
    const errors: unknown[] = [];
    const store = createStore().setTables({pets: {mine: {species: 'cat'}}});
    const persister = storage.createPersister(store, (error) => errors.push(error), {
      version: 2,
      migrate: ([tables]) => {
        tables.pets.fido.kind = 'changed';
        throw new TypeError('no');
      },
    });
    await persister.startAutoPersisting();
    await persister.save();
    expect(storage.data).toEqual(V1);
    expect(store.getContent()).toEqual([{pets: {mine: {species: 'cat'}}}, {}]);
    expect(String(errors[0])).toContain('migrate(content, 0) failed');
    expect((errors[0] as Error).cause).toBeInstanceOf(TypeError);
    await persister.destroy();
  });

  it('news of another version (content or changes) is never applied as it is: the persister reads again', async () => {
    const storage = await started([{pets: {fido: {species: 'dog'}}}, {}, {version: 2}]);
    const errors: unknown[] = [];
    const store = createStore();
    const persister = storage.createPersister(store, (error) => errors.push(error), {
      version: 2,
    });
    await persister.startAutoPersisting();
    // Another app (version 3) writes; its news comes as content, then as changes.
    storage.data = [{animals: {fido: {species: 'dog'}}}, {}, {version: 3}];
    storage.notify(storage.data as Content);
    await until(() => errors.length > 0, 'the version error');
    storage.notify(undefined, [{animals: {rex: {species: 'cat'}}}, {}, 1]);
    await settle();
    store.setCell('pets', 'fido', 'color', 'brown');
    await persister.save();
    await settle();
    expect(store.getContent()).toEqual([{pets: {fido: {species: 'dog', color: 'brown'}}}, {}]);
    expect(storage.data).toEqual([{animals: {fido: {species: 'dog'}}}, {}, {version: 3}]);
    expect(
      errors.every(
        (error) => error instanceof PersisterVersionError || String(error).includes('Not saved'),
      ),
    ).toBe(true);
    await persister.destroy();
  });

  it('changes heard after a migration and before its save are not applied to the migrated store: it reads and migrates again', async () => {
    const storage = createManualStorage(V1);
    storage.autoRead = true;
    const store = createStore();
    const persister = storage.createPersister(store, undefined, {version: 2, migrate: renameKind});
    void persister.startAutoPersisting();
    // The full save of the migrated store fails; an older app's change arrives meanwhile.
    await until(() => storage.writes.length > 0, 'the held save');
    storage.writes[0].fail(new Error('offline'));
    storage.data = [{pets: {fido: {kind: 'wolf'}}}, {}];
    storage.notify(undefined, [{pets: {fido: {kind: 'wolf'}}}, {}, 1]);
    // The next save finds storage changed (as compare-and-set storage tells): read, migrate, save.
    await until(() => storage.writes.length > 0, 'the next save');
    storage.autoWrite = true;
    storage.writes[0].fail(new PersisterConflictError());
    await until(() => store.getCell('pets', 'fido', 'species') === 'wolf', 'the re-read');
    expect(store.getCell('pets', 'fido', 'kind')).toBeUndefined();
    await persister.save();
    expect(storage.data).toEqual([{pets: {fido: {species: 'wolf'}}}, {}, {version: 2}]);
    await persister.destroy();
  });
});
