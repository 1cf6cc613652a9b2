// @vitest-environment happy-dom
// Versions on Web Storage: two tabs (two happy-dom windows, helpers/tabs.ts) on
// one local storage area, an old tab of version 1 and a new one of version 2.
// The new tab migrates the stored data and writes it as version 2; the old tab
// then never loads it, never writes over it, and says so.
import {PersisterVersionError} from '@x/persister';
import {type Content, createStore} from '@x/store';
import {afterEach, describe, expect, it} from 'vitest';
import {createLocalPersister} from '../src';
import {createStoragePersister} from '../src/storagePersister';
import {createTabs} from './helpers/tabs';
import {waitIdle} from './helpers/waitIdle';

afterEach(() => localStorage.clear());

const KEY = 'pets';
const v1: Content = [{pets: {fido: {species: 'dog'}}}, {open: true}];
// Version 2 calls the table 'animals'.
const migrate = ([tables, values]: Content): Content => [{animals: tables.pets ?? {}}, values];

/** Tab A at version 1 (started first: it writes v1 data), tab B at version 2. */
const startTabs = async ({aListens}: {aListens: boolean}) => {
  const {tabs, close} = createTabs(localStorage, 2);
  const [a, b] = tabs as [(typeof tabs)[0], (typeof tabs)[0]];
  const errorsA: unknown[] = [];
  const errorsB: unknown[] = [];
  const storeA = createStore();
  const storeB = createStore();
  const tabA = createStoragePersister(
    storeA,
    KEY,
    a.storage,
    (error) => errorsA.push(error),
    a.window,
    {version: 1},
  );
  const tabB = createStoragePersister(
    storeB,
    KEY,
    b.storage,
    (error) => errorsB.push(error),
    b.window,
    {version: 2, migrate},
  );
  await tabA.startAutoPersisting(v1);
  await waitIdle(tabA);
  expect(localStorage.getItem(KEY)).toBe(JSON.stringify([...v1, {version: 1}]));
  if (!aListens) await tabA.stopAutoLoad();
  await tabB.startAutoPersisting();
  await waitIdle(tabB);
  const migrated = localStorage.getItem(KEY);
  expect(migrated).toBe(
    JSON.stringify([{animals: {fido: {species: 'dog'}}}, {open: true}, {version: 2}]),
  );
  expect(storeB.getContent()).toEqual([{animals: {fido: {species: 'dog'}}}, {open: true}]);
  return {storeA, storeB, tabA, tabB, errorsA, errorsB, migrated, close};
};

const versionErrors = (errors: unknown[]) =>
  errors.filter((error) => error instanceof PersisterVersionError) as PersisterVersionError[];

describe('Web Storage versions: an old tab after a new tab migrated', () => {
  it('hears the migration, reports a PersisterVersionError, loads nothing and never writes', async () => {
    const {storeA, tabA, tabB, errorsA, errorsB, migrated, close} = await startTabs({
      aListens: true,
    });
    await waitIdle(tabA);
    const [error] = versionErrors(errorsA);
    expect(error).toBeInstanceOf(PersisterVersionError);
    expect([error?.storedVersion, error?.appVersion]).toEqual([2, 1]);
    expect(storeA.getContent()).toEqual(v1);
    // The old tab's edits, automatic and explicit saves: none reach storage.
    storeA.setCell('pets', 'fido', 'species', 'cat');
    storeA.setRow('pets', 'rex', {species: 'dog'});
    await waitIdle(tabA);
    await tabA.save();
    expect(localStorage.getItem(KEY)).toBe(migrated);
    expect(errorsB).toEqual([]);
    await tabA.destroy();
    await tabB.destroy();
    expect(localStorage.getItem(KEY)).toBe(migrated);
    close();
  });

  it('finds out through compare-and-set when it did not hear the migration, and writes nothing', async () => {
    const {storeA, tabA, tabB, errorsA, migrated, close} = await startTabs({aListens: false});
    expect(errorsA).toEqual([]);
    // A believes storage still holds its v1 data: its autosave is a conflict, the
    // re-read finds version 2.
    storeA.setCell('pets', 'fido', 'species', 'cat');
    await waitIdle(tabA);
    expect(localStorage.getItem(KEY)).toBe(migrated);
    expect(versionErrors(errorsA).length).toBeGreaterThan(0);
    expect(storeA.getContent()).toEqual([{pets: {fido: {species: 'cat'}}}, {open: true}]);
    storeA.setValue('open', false);
    await waitIdle(tabA);
    await tabA.save();
    await tabA.destroy();
    await tabB.destroy();
    expect(localStorage.getItem(KEY)).toBe(migrated);
    close();
  });

  it('never lets an old tab’s cell land in migrated data when its edits race the migration (15 rounds)', async () => {
    for (let round = 0; round < 15; round++) {
      localStorage.clear();
      // Every value written, in order: once v2 is stored, nothing older may follow
      // (the new tab would migrate it again, which hides such a write at the end).
      const written: string[] = [];
      const area: Storage = {
        get length() {
          return localStorage.length;
        },
        key: (index) => localStorage.key(index),
        getItem: (key) => localStorage.getItem(key),
        setItem: (key, value) => {
          written.push(value);
          localStorage.setItem(key, value);
        },
        removeItem: (key) => localStorage.removeItem(key),
        clear: () => localStorage.clear(),
      };
      const {tabs, close} = createTabs(area, 2);
      const [a, b] = tabs as [(typeof tabs)[0], (typeof tabs)[0]];
      const storeA = createStore();
      const storeB = createStore();
      const tabA = createStoragePersister(storeA, KEY, a.storage, () => {}, a.window, {
        version: 1,
      });
      await tabA.startAutoPersisting(v1);
      await waitIdle(tabA);
      const tabB = createStoragePersister(storeB, KEY, b.storage, undefined, b.window, {
        version: 2,
        migrate,
      });
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
      const stored = JSON.parse(localStorage.getItem(KEY) as string);
      expect({round, tables: Object.keys(stored[0])}).toEqual({round, tables: ['animals']});
      expect({round, stored}).toEqual({round, stored: [...storeB.getContent(), {version: 2}]});
      expect({round, a: Object.keys(storeA.getTables())}).toEqual({round, a: ['pets']});
      const firstV2 = written.findIndex((json) => json.endsWith(',{"version":2}]'));
      expect({
        round,
        after: written.slice(firstV2).filter((json) => !json.endsWith(',{"version":2}]')),
      }).toEqual({round, after: []});
      await tabA.destroy();
      await tabB.destroy();
      close();
    }
  });

  it('stores unversioned content exactly as before, and version 1 as a third element', async () => {
    const plain = createLocalPersister(createStore().setContent(v1), 'plain');
    await plain.save();
    expect(localStorage.getItem('plain')).toBe(
      '[{"pets":{"fido":{"species":"dog"}}},{"open":true}]',
    );
    const versioned = createLocalPersister(createStore().setContent(v1), 'versioned', undefined, {
      version: 1,
    });
    await versioned.save();
    expect(localStorage.getItem('versioned')).toBe(
      '[{"pets":{"fido":{"species":"dog"}}},{"open":true},{"version":1}]',
    );
    // Read back by a persister of the same version: the content, without its version.
    const store = createStore();
    const reader = createLocalPersister(store, 'versioned', undefined, {version: 1});
    await reader.load();
    expect(store.getContent()).toEqual(v1);
    for (const persister of [plain, versioned, reader]) await persister.destroy();
  });

  it('refuses a stored version that is not a non-negative integer, and keeps it', async () => {
    const garbage: unknown[] = [
      [{}, {}, {version: -1}],
      [{}, {}, {version: 1.5}],
      [{}, {}, {version: '2'}],
      [{}, {}, 2],
    ];
    for (const stored of garbage) {
      const json = JSON.stringify(stored);
      localStorage.setItem(KEY, json);
      const errors: unknown[] = [];
      const store = createStore().setCell('pets', 'rex', 'species', 'dog');
      const persister = createLocalPersister(store, KEY, (error) => errors.push(error), {
        version: 2,
      });
      await persister.startAutoPersisting();
      store.setCell('pets', 'rex', 'species', 'cat');
      await waitIdle(persister);
      await persister.save();
      await persister.destroy();
      expect({stored, kept: localStorage.getItem(KEY)}).toEqual({stored, kept: json});
      expect({stored, reported: errors.length > 0}).toEqual({stored, reported: true});
    }
  });
});
