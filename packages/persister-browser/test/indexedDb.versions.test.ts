// Versions on IndexedDB: two connections to one database (fake-indexeddb, Node's
// BroadcastChannel between them), as two tabs: an old tab of version 1 and a new
// one of version 2. The new tab migrates and writes version 2; the old tab
// never loads it, never writes over it (not even one merged cell), and says so.
import 'fake-indexeddb/auto';
import {PersisterVersionError} from '@x/persister';
import {type Content, createStore} from '@x/store';
import {describe, expect, it} from 'vitest';
import {createIndexedDbPersister} from '../src';
import {deleteRaw, dumpRaw, putRaw, readRaw} from './helpers/rawIdb';
import {waitIdle} from './helpers/waitIdle';

let dbCount = 0;
const newDbName = () => `idb-versions-${++dbCount}-${Date.now()}`;

const v1: Content = [{pets: {fido: {species: 'dog', legs: 4}}}, {open: true}];
// Version 2 calls the table 'animals'.
const migrate = ([tables, values]: Content): Content => [{animals: tables.pets ?? {}}, values];
const v2: Content = [{animals: {fido: {species: 'dog', legs: 4}}}, {open: true}];

const versionErrors = (errors: unknown[]) =>
  errors.filter((error) => error instanceof PersisterVersionError) as PersisterVersionError[];

/** Tab A at version 1 (started first: it writes v1 data), then tab B at version 2. */
const startTabs = async (dbName: string, {aListens}: {aListens: boolean}) => {
  const errorsA: unknown[] = [];
  const errorsB: unknown[] = [];
  const storeA = createStore();
  const storeB = createStore();
  const tabA = createIndexedDbPersister(storeA, dbName, (error) => errorsA.push(error), {
    version: 1,
  });
  const tabB = createIndexedDbPersister(storeB, dbName, (error) => errorsB.push(error), {
    version: 2,
    migrate,
  });
  await tabA.startAutoPersisting(v1);
  await waitIdle(tabA);
  expect(await readRaw(dbName)).toEqual([...v1, {version: 1}]);
  if (!aListens) await tabA.stopAutoLoad();
  await tabB.startAutoPersisting();
  await waitIdle(tabB);
  expect(await readRaw(dbName)).toEqual([...v2, {version: 2}]);
  expect(storeB.getContent()).toEqual(v2);
  return {storeA, storeB, tabA, tabB, errorsA, errorsB, migrated: await dumpRaw(dbName)};
};

/** Edits of every kind by the old tab: a cell of a migrated row, a new row, a value. */
const editAsOldTab = (store: ReturnType<typeof createStore>) => {
  store.setCell('pets', 'fido', 'species', 'cat');
  store.setRow('pets', 'rex', {species: 'dog'});
  store.setValue('open', false);
};

describe('IndexedDB versions: an old tab after a new tab migrated', () => {
  it('hears the migration, reports a PersisterVersionError, loads nothing and never writes', async () => {
    const dbName = newDbName();
    const {storeA, tabA, tabB, errorsA, errorsB, migrated} = await startTabs(dbName, {
      aListens: true,
    });
    await waitIdle(tabA);
    const [error] = versionErrors(errorsA);
    expect([error?.storedVersion, error?.appVersion]).toEqual([2, 1]);
    expect(storeA.getContent()).toEqual(v1);
    editAsOldTab(storeA);
    await waitIdle(tabA);
    await tabA.save();
    expect(await dumpRaw(dbName)).toBe(migrated);
    expect(errorsB).toEqual([]);
    await tabA.destroy();
    await tabB.destroy();
    expect(await dumpRaw(dbName)).toBe(migrated);
    await deleteRaw(dbName);
  });

  it('refuses its incremental save inside the transaction when it did not hear the migration', async () => {
    const dbName = newDbName();
    const {storeA, tabA, tabB, errorsA, migrated} = await startTabs(dbName, {aListens: false});
    expect(errorsA).toEqual([]);
    // A believes the database still holds its v1 data: an incremental save, which
    // without the version check would merge its cells into the migrated rows.
    editAsOldTab(storeA);
    await waitIdle(tabA);
    expect(await dumpRaw(dbName)).toBe(migrated);
    expect(versionErrors(errorsA).length).toBeGreaterThan(0);
    storeA.setCell('animals', 'fido', 'species', 'cat'); // a table of v2's shape: still no
    await waitIdle(tabA);
    await tabA.save();
    await tabA.destroy();
    await tabB.destroy();
    expect(await dumpRaw(dbName)).toBe(migrated);
    await deleteRaw(dbName);
  });

  it('lets the new tab keep saving incrementally on its migrated data, heard by another new tab', async () => {
    const dbName = newDbName();
    const {storeB, tabA, tabB} = await startTabs(dbName, {aListens: true});
    const storeC = createStore();
    const tabC = createIndexedDbPersister(storeC, dbName, undefined, {version: 2, migrate});
    await tabC.startAutoPersisting();
    expect(storeC.getContent()).toEqual(v2);
    storeB.setCell('animals', 'fido', 'legs', 3);
    await waitIdle(tabB);
    await waitIdle(tabC);
    const expected: Content = [{animals: {fido: {species: 'dog', legs: 3}}}, {open: true}];
    expect(await readRaw(dbName)).toEqual([...expected, {version: 2}]);
    expect(storeC.getContent()).toEqual(expected);
    for (const tab of [tabA, tabB, tabC]) await tab.destroy();
    await deleteRaw(dbName);
  });

  it('never lets an old tab’s cell land in migrated data when its edits race the migration (15 rounds)', async () => {
    for (let round = 0; round < 15; round++) {
      const dbName = newDbName();
      const storeA = createStore();
      const storeB = createStore();
      const tabA = createIndexedDbPersister(storeA, dbName, () => {}, {version: 1});
      await tabA.startAutoPersisting(v1);
      await waitIdle(tabA);
      const tabB = createIndexedDbPersister(storeB, dbName, undefined, {version: 2, migrate});
      // No waiting: B loads, migrates and saves while A keeps editing, at random moments.
      const migrating = tabB.startAutoPersisting();
      for (let edit = 0; edit < 10; edit++) {
        storeA.setCell('pets', `r${edit}`, 'species', `s${round}-${edit}`);
        storeA.setCell('pets', 'fido', 'legs', edit);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
      }
      await migrating;
      await waitIdle(tabA);
      await waitIdle(tabB);
      const stored = await readRaw(dbName);
      // Only v2's shape, as tab B holds it: A's edits got in before the migration read them, or not at all.
      expect({round, tables: Object.keys(stored?.[0] ?? {})}).toEqual({round, tables: ['animals']});
      expect({round, stored}).toEqual({round, stored: [...storeB.getContent(), {version: 2}]});
      expect({round, a: Object.keys(storeA.getTables())}).toEqual({round, a: ['pets']});
      await tabA.destroy();
      await tabB.destroy();
      await deleteRaw(dbName);
    }
  });

  it('stores no version for version 0, and removes it when a version-0 save replaces versioned data', async () => {
    const dbName = newDbName();
    const plain = createIndexedDbPersister(createStore().setContent(v1), dbName);
    await plain.save();
    expect(await readRaw(dbName)).toEqual(v1);
    const versioned = createIndexedDbPersister(createStore().setContent(v1), dbName, undefined, {
      version: 3,
    });
    await versioned.save();
    expect(await readRaw(dbName)).toEqual([...v1, {version: 3}]);
    // Replaced on purpose by an app without versions (one that never read it).
    const downgrade = createIndexedDbPersister(createStore().setContent(v1), dbName);
    await downgrade.save({overwrite: true});
    expect(await readRaw(dbName)).toEqual(v1);
    expect(await dumpRaw(dbName)).not.toContain('contentVersion');
    for (const persister of [plain, versioned, downgrade]) await persister.destroy();
    await deleteRaw(dbName);
  });

  it('refuses a stored version that is not a non-negative integer, and keeps everything', async () => {
    for (const bad of [-1, 1.5, '2', {version: 2}]) {
      const dbName = newDbName();
      await putRaw(dbName, 'meta', 'persisted', 1);
      await putRaw(dbName, 'rows', ['pets', 'fido'], {species: 'dog'});
      await putRaw(dbName, 'meta', 'contentVersion', bad);
      const before = await dumpRaw(dbName);
      const errors: unknown[] = [];
      const store = createStore();
      const persister = createIndexedDbPersister(store, dbName, (error) => errors.push(error), {
        version: 2,
      });
      await persister.startAutoPersisting();
      store.setCell('pets', 'rex', 'species', 'cat');
      await waitIdle(persister);
      await persister.save();
      await persister.destroy();
      expect({bad, kept: await dumpRaw(dbName)}).toEqual({bad, kept: before});
      expect({bad, reported: errors.length > 0}).toEqual({bad, reported: true});
      expect(store.getContent()).toEqual([{pets: {rex: {species: 'cat'}}}, {}]);
      await deleteRaw(dbName);
    }
  });

  it('takes the TinyBase form with options last', async () => {
    const dbName = newDbName();
    const errors: unknown[] = [];
    const persister = createIndexedDbPersister(
      createStore().setContent(v1),
      dbName,
      1,
      (error) => errors.push(error),
      {version: 4},
    );
    await persister.save();
    expect(await readRaw(dbName)).toEqual([...v1, {version: 4}]);
    expect(errors).toEqual([]);
    await persister.destroy();
    await deleteRaw(dbName);
  });
});

describe('IndexedDB versions: readers from before versions', () => {
  // The row-key check of this package's releases before versions (0.1.0), as it
  // stands in their toContent: any other key makes their read fail, reported.
  const readerBeforeVersions = async (dbName: string) => {
    const dump = JSON.parse(await dumpRaw(dbName)) as {rows: [unknown, unknown][]};
    for (const [key] of dump.rows)
      if (!Array.isArray(key) || key.length !== 2 || typeof key[0] !== 'string')
        throw new TypeError(`IndexedDB holds a row under an unexpected key: ${String(key)}`);
    return dump.rows.length;
  };

  it('cannot mistake versioned rows for unversioned ones: their read fails; unversioned data reads as before', async () => {
    const dbName = newDbName();
    const store = createStore().setContent(v1);
    const persister = createIndexedDbPersister(store, dbName, undefined, {version: 2});
    await persister.save();
    await expect(readerBeforeVersions(dbName)).rejects.toThrow('unexpected key');
    expect(await readRaw(dbName)).toEqual([...v1, {version: 2}]);
    // Saved again without a version (an overwrite): the fence goes with the version.
    const unversioned = createIndexedDbPersister(createStore().setContent(v1), dbName);
    await unversioned.save({overwrite: true});
    expect(await readerBeforeVersions(dbName)).toBe(1);
    expect(await readRaw(dbName)).toEqual(v1);
    await persister.destroy();
    await unversioned.destroy();
  });
});
