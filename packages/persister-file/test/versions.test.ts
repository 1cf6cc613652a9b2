// Versioned files, on real files in a temporary folder: `[tables, values]` without a
// version, `[tables, values, {version}]` with one; older files are migrated, and a file
// this app cannot judge (newer data, a failed migration, a version that is no version)
// is reported and never moved aside nor written over, whatever the app does next.
import {readdir, readFile, rename, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {type Migrate, PersisterVersionError} from '@x/persister';
import {type Content, createStore} from '@x/store';
import {afterEach, describe, expect, it} from 'vitest';
import {
  createFilePersister,
  FileMovedAsideError,
  InvalidStoredVersionError,
  UnreadableFileError,
} from '../src';
import {makeTempFolder, removeTempFolders} from './support/tempFolder';
import {sleep, waitFor} from './support/waitFor';

afterEach(removeTempFolders);

const SEED = '[{"pets":{"fido":{"species":"dog","legs":4}}},{"employees":3}]';

/** Version 2 calls `legs` `legCount`. */
const renameLegs: Migrate = ([tables, values]) => {
  const pets = Object.fromEntries(
    Object.entries(tables.pets ?? {}).map(([rowId, {legs, ...row}]) => [
      rowId,
      legs === undefined ? row : {...row, legCount: legs},
    ]),
  );
  return [{...tables, pets}, values];
};

const MIGRATED = [{pets: {fido: {species: 'dog', legCount: 4}}}, {employees: 3}];

const fileIn = async (text?: string) => {
  const folder = await makeTempFolder();
  const path = join(folder, 'pets.json');
  if (text !== undefined) await writeFile(path, text);
  return {folder, path};
};

const errorsOf = () => {
  const errors: unknown[] = [];
  return {errors, onIgnoredError: (error: unknown) => errors.push(error)};
};

/** Every entry of the folder but the data file: files moved aside, temporary files. */
const othersIn = async (folder: string) =>
  (await readdir(folder)).filter((entry) => entry !== 'pets.json');

describe('the file format', () => {
  it('is exactly [tables, values] without a version, and [tables, values, {version}] with one', async () => {
    const {path} = await fileIn();
    const store = createStore()
      .setTables({pets: {fido: {species: 'dog'}}})
      .setValue('n', 1);
    const plain = createFilePersister(store, path);
    await plain.save();
    expect(await readFile(path, 'utf8')).toBe('[{"pets":{"fido":{"species":"dog"}}},{"n":1}]');
    await plain.destroy();

    const {path: versionedPath} = await fileIn();
    const versioned = createFilePersister(store, versionedPath, undefined, {version: 2});
    await versioned.save();
    expect(await readFile(versionedPath, 'utf8')).toBe(
      '[{"pets":{"fido":{"species":"dog"}}},{"n":1},{"version":2}]',
    );
    await versioned.destroy();
  });

  it('reads its own version back without migrating', async () => {
    const {path} = await fileIn('[{"pets":{"fido":{"legCount":4}}},{},{"version":2}]');
    let migrations = 0;
    const store = createStore();
    const {errors, onIgnoredError} = errorsOf();
    const persister = createFilePersister(store, path, onIgnoredError, {
      version: 2,
      migrate: (content) => {
        migrations++;
        return content;
      },
    });
    await persister.load();
    expect(store.getContent()).toEqual([{pets: {fido: {legCount: 4}}}, {}]);
    expect(migrations).toBe(0);
    expect(errors).toEqual([]);
    await persister.destroy();
  });

  it('migrates an unversioned file on load and writes it whole with the new version', async () => {
    const {folder, path} = await fileIn(SEED);
    const store = createStore();
    const {errors, onIgnoredError} = errorsOf();
    const persister = createFilePersister(store, path, onIgnoredError, {
      version: 2,
      migrate: renameLegs,
    });
    await persister.startAutoPersisting();
    expect(store.getContent()).toEqual(MIGRATED);
    await waitFor(async () => (await readFile(path, 'utf8')).endsWith('{"version":2}]'));
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual([...MIGRATED, {version: 2}]);
    expect(await othersIn(folder)).toEqual([]);
    expect(errors).toEqual([]);
    await persister.destroy();
  });
});

describe('an old app (version 1) and a new one (version 2) on one file', () => {
  it('the new one migrates; the old one reports, loads nothing, and never writes again', async () => {
    const {folder, path} = await fileIn();
    const oldStore = createStore();
    const old = errorsOf();
    const a = createFilePersister(oldStore, path, old.onIgnoredError, {version: 1});
    await a.startAutoPersisting([{pets: {fido: {species: 'dog', legs: 4}}}, {employees: 3}]);
    await waitFor(async () => (await readFile(path, 'utf8').catch(() => '')).includes('"legs":4'));
    expect(await readFile(path, 'utf8')).toBe(
      '[{"pets":{"fido":{"species":"dog","legs":4}}},{"employees":3},{"version":1}]',
    );

    const newStore = createStore();
    const fresh = errorsOf();
    const b = createFilePersister(newStore, path, fresh.onIgnoredError, {
      version: 2,
      migrate: renameLegs,
    });
    await b.startAutoPersisting();
    expect(newStore.getContent()).toEqual(MIGRATED);
    await waitFor(async () => (await readFile(path, 'utf8')).includes('"version":2'));
    const written = await readFile(path, 'utf8');
    expect(JSON.parse(written)).toEqual([...MIGRATED, {version: 2}]);

    // A hears the new file and refuses it.
    await waitFor(
      () => old.errors.some((error) => error instanceof PersisterVersionError),
      3_000,
      'the old app to hear the new version',
    );
    const versionError = old.errors.find((error) => error instanceof PersisterVersionError);
    expect(versionError).toMatchObject({storedVersion: 2, appVersion: 1});
    expect(oldStore.getContent()).toEqual([
      {pets: {fido: {species: 'dog', legs: 4}}},
      {employees: 3},
    ]);

    // Whatever A does next, B's file stays, byte for byte.
    oldStore.setCell('pets', 'fido', 'legs', 3).setCell('pets', 'rex', 'legs', 5);
    await sleep(300);
    expect(await readFile(path, 'utf8')).toBe(written);
    await a.save();
    expect(await readFile(path, 'utf8')).toBe(written);
    await a.load();
    expect(oldStore.getCell('pets', 'fido', 'legs')).toBe(3);
    await a.destroy();
    expect(await readFile(path, 'utf8')).toBe(written);
    expect(await othersIn(folder)).toEqual([]);
    expect(old.errors.every((error) => !(error instanceof UnreadableFileError))).toBe(true);

    // B never heard A: its store and the file are as it left them.
    expect(newStore.getContent()).toEqual(MIGRATED);
    expect(fresh.errors).toEqual([]);
    await b.destroy();
    expect(await readFile(path, 'utf8')).toBe(written);
  });

  it('an old app that saves right after the migration, before hearing it, does not write', async () => {
    const {folder, path} = await fileIn(
      '[{"pets":{"fido":{"species":"dog","legs":4}}},{"employees":3},{"version":1}]',
    );
    // Autosave only: no watcher, so A learns of the new version only when it saves.
    const oldStore = createStore();
    const old = errorsOf();
    const a = createFilePersister(oldStore, path, old.onIgnoredError, {version: 1});
    await a.load();
    await a.startAutoSave();

    const b = createFilePersister(createStore(), path, undefined, {
      version: 2,
      migrate: renameLegs,
    });
    await b.load();
    await b.save();
    const written = await readFile(path, 'utf8');
    expect(written).toContain('"version":2');

    oldStore.setCell('pets', 'fido', 'legs', 3);
    await waitFor(
      () => old.errors.some((error) => error instanceof PersisterVersionError),
      3_000,
      'the old app to find the new version when saving',
    );
    await sleep(100);
    expect(await readFile(path, 'utf8')).toBe(written);
    await a.destroy();
    await b.destroy();
    expect(await readFile(path, 'utf8')).toBe(written);
    expect(await othersIn(folder)).toEqual([]);
  });

  it('a bare save() of an old app does not write over newer data; save({overwrite: true}) does, on purpose', async () => {
    const text = '[{"pets":{"fido":{"legCount":4}}},{},{"version":2}]';
    const {folder, path} = await fileIn(text);
    const old = errorsOf();
    const a = createFilePersister(createStore().setValue('n', 1), path, old.onIgnoredError, {
      version: 1,
    });
    await a.save();
    expect(await readFile(path, 'utf8')).toBe(text);
    expect(await othersIn(folder)).toEqual([]);
    expect(old.errors.some((error) => error instanceof PersisterVersionError)).toBe(true);
    await a.save({overwrite: true});
    expect(await readFile(path, 'utf8')).toBe('[{},{"n":1},{"version":1}]');
    await a.destroy();
  });
});

describe('a migration that fails', () => {
  const failures: [string, Migrate][] = [
    [
      'throws',
      () => {
        throw new Error('no legs to rename');
      },
    ],
    ['returns garbage', () => [{pets: {fido: 'dog'}}, {}] as unknown as Content],
    ['returns nothing', () => undefined as unknown as Content],
  ];

  it.each(failures)(
    '(it %s) leaves the store and the file alone, and saves wait',
    async (_, migrate) => {
      const {folder, path} = await fileIn(SEED);
      const store = createStore().setValue('mine', 1);
      const {errors, onIgnoredError} = errorsOf();
      const persister = createFilePersister(store, path, onIgnoredError, {version: 2, migrate});
      await persister.startAutoPersisting({pets: {initial: {species: 'never applied'}}});
      expect(errors.length).toBeGreaterThanOrEqual(1);
      expect(String(errors[0])).toMatch(/migrate\(content, 0\) failed/);
      expect(store.getContent()).toEqual([{}, {mine: 1}]);
      store.setCell('pets', 'rex', 'legs', 3);
      await sleep(300);
      await persister.save();
      await persister.destroy();
      expect(await readFile(path, 'utf8')).toBe(SEED);
      expect(await othersIn(folder)).toEqual([]);
    },
  );
});

describe('a stored version that is not a non-negative integer', () => {
  const BAD_META = {
    'negative (-1)': '{"version":-1}',
    'fractional (1.5)': '{"version":1.5}',
    'a string ("2")': '{"version":"2"}',
    'missing ({})': '{}',
    'not an object (2)': '2',
  };

  it.each(Object.entries(BAD_META))(
    '%s is reported, kept in place, and never written over',
    async (_, meta) => {
      const text = `[{"pets":{"fido":{"species":"dog"}}},{},${meta}]`;
      const {folder, path} = await fileIn(text);
      const store = createStore().setValue('mine', 1);
      const {errors, onIgnoredError} = errorsOf();
      const persister = createFilePersister(store, path, onIgnoredError, {version: 1});
      await persister.startAutoPersisting();
      expect(errors[0]).toBeInstanceOf(InvalidStoredVersionError);
      expect(errors[0]).toBeInstanceOf(UnreadableFileError);
      expect((errors[0] as InvalidStoredVersionError).filePath).toBe(path);
      expect(store.getContent()).toEqual([{}, {mine: 1}]);
      store.setCell('pets', 'rex', 'legs', 3);
      await sleep(300);
      await persister.save();
      expect(await readFile(path, 'utf8')).toBe(text);
      expect(await othersIn(folder)).toEqual([]);

      // Fixed by hand: loaded, and the change waiting goes on top of it.
      await writeFile(
        join(folder, 'fixed.json'),
        '[{"pets":{"fido":{"species":"dog"}}},{},{"version":1}]',
      );
      await rename(join(folder, 'fixed.json'), path);
      await waitFor(
        async () => (await readFile(path, 'utf8')).includes('"rex"'),
        5_000,
        'the waiting change to be saved over the fixed file',
      );
      expect(JSON.parse(await readFile(path, 'utf8'))).toEqual([
        {pets: {fido: {species: 'dog'}, rex: {legs: 3}}},
        {}, // `mine` was in the store before, not a change waiting to be saved
        {version: 1},
      ]);
      await persister.destroy();
    },
  );

  it('is kept aside, then replaced, by save({overwrite: true}) once reported', async () => {
    const text = '[{"pets":{"fido":{"species":"dog"}}},{},{"version":"2"}]';
    const {folder, path} = await fileIn(text);
    const store = createStore().setValue('mine', 1);
    const {errors, onIgnoredError} = errorsOf();
    const persister = createFilePersister(store, path, onIgnoredError, {version: 1});
    await persister.load();
    expect(errors[0]).toBeInstanceOf(InvalidStoredVersionError);
    await persister.save({overwrite: true});
    expect(await readFile(path, 'utf8')).toBe('[{},{"mine":1},{"version":1}]');
    const aside = await othersIn(folder);
    expect(aside).toHaveLength(1);
    expect(await readFile(join(folder, aside[0]), 'utf8')).toBe(text);
    expect(errors.some((error) => error instanceof FileMovedAsideError)).toBe(true);
    await persister.destroy();
  });

  it('is never moved aside by a save that finds it on disk in place of a good file', async () => {
    const {folder, path} = await fileIn('[{},{"n":0},{"version":1}]');
    const store = createStore();
    const {errors, onIgnoredError} = errorsOf();
    // No watcher: the save finds the file changed under it.
    const persister = createFilePersister(store, path, onIgnoredError, {version: 1});
    await persister.load();
    await persister.startAutoSave();
    const text = '[{},{"n":7},{"version":-1}]';
    await writeFile(path, text);
    store.setValue('n', 1);
    await waitFor(() => errors.length > 0, 3_000, 'the save to find the bad version');
    await sleep(300);
    expect(errors[0]).toBeInstanceOf(InvalidStoredVersionError);
    expect(await readFile(path, 'utf8')).toBe(text);
    expect(await othersIn(folder)).toEqual([]);
    await persister.destroy();
    expect(await readFile(path, 'utf8')).toBe(text);
  });
});

describe('a version far in the future (1e9)', () => {
  it('is reported, not loaded, and kept', async () => {
    const text = '[{"pets":{"fido":{"species":"dog"}}},{},{"version":1000000000}]';
    const {folder, path} = await fileIn(text);
    const store = createStore();
    const {errors, onIgnoredError} = errorsOf();
    const persister = createFilePersister(store, path, onIgnoredError, {
      version: 3,
      migrate: renameLegs,
    });
    await persister.startAutoPersisting();
    expect(errors[0]).toBeInstanceOf(PersisterVersionError);
    expect(errors[0]).toMatchObject({storedVersion: 1e9, appVersion: 3});
    expect(store.getContent()).toEqual([{}, {}]);
    store.setValue('n', 1);
    await sleep(300);
    await persister.save();
    await persister.destroy();
    expect(await readFile(path, 'utf8')).toBe(text);
    expect(await othersIn(folder)).toEqual([]);
  });
});
