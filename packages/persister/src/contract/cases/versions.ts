// Versioned content: without a version the stored format is exactly
// `[tables, values]`; with one it carries `{version}`. Older data is migrated on
// load and saved with the new version; data newer than the app, and data a
// migration fails on, is never loaded and never written over.
import type {Content, Store, Tables} from '@x/store';
import {createStore} from '@x/store';
import {sameContent} from '../../canonical-json';
import type {Migrate} from '../../types';
import type {ContractHarness, ContractStorage} from '../harness';
import type {ContractTestApi} from '../test-api';
import {waitFor} from '../wait-for';
import {autoLoadTimeout, type Track, withStorage} from '../with-storage';
import {hasTwoWriters} from './two-writers';

const V1 = [{pets: {fido: {kind: 'dog'}}}, {open: true}] as Content;
const V2 = [{pets: {fido: {species: 'dog'}}}, {open: true}] as Content;

/** Version 1 → 2: the cell `kind` is renamed `species`. */
const renameKind: Migrate = ([tables, values]) => {
  const pets: Tables[string] = {};
  for (const [rowId, {kind, ...rest}] of Object.entries(tables.pets ?? {}))
    pets[rowId] = kind === undefined ? rest : {...rest, species: kind};
  return [{...tables, pets}, values] as Content;
};

/** Storage at version 1, and the older app (version 1) on it, autoloading and autosaving. */
const olderApp = async (storage: ContractStorage, track: Track) => {
  await storage.write([...V1, {version: 1}]);
  const older = createStore();
  const olderErrors: unknown[] = [];
  const olderPersister = track(
    await storage.createPersister(older, (error) => olderErrors.push(error), {version: 1}),
  );
  await olderPersister.startAutoPersisting();
  return {older, olderErrors, olderPersister};
};

/** The newer app (version 2), as a second writer on the storage. */
const newerApp = (storage: ContractStorage, store: Store) => {
  const options = {version: 2, migrate: renameKind};
  return storage.createSecondPersister
    ? storage.createSecondPersister(store, undefined, options)
    : storage.createPersister(store, undefined, options);
};

const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

const named = (errors: unknown[], name: string): unknown[] =>
  errors.filter((error) => error instanceof Error && error.name === name);

export const versionCases = (harness: ContractHarness, {it, expect}: ContractTestApi): void => {
  const timeout = autoLoadTimeout(harness);

  it('stores the version with the data, and data without one as exactly [tables, values]', () =>
    withStorage(harness, async (storage, track) => {
      const store = createStore().setContent(V2);
      const persister = track(await storage.createPersister(store, undefined, {version: 2}));
      await persister.save();
      expect(await storage.read()).toEqual([...V2, {version: 2}]);
      const unversioned = track(await storage.createPersister(createStore().setContent(V1)));
      await unversioned.save({overwrite: true});
      expect(await storage.read()).toEqual(V1);
    }));

  it('migrates older data on load, once, and saves it with the new version', () =>
    withStorage(harness, async (storage, track) => {
      await storage.write(V1);
      const calls: number[] = [];
      const migrate: Migrate = (content, fromVersion) => {
        calls.push(fromVersion);
        return renameKind(content, fromVersion);
      };
      const store = createStore();
      const errors: unknown[] = [];
      const persister = track(
        await storage.createPersister(store, (error) => errors.push(error), {version: 2, migrate}),
      );
      void persister.startAutoLoad();
      void persister.startAutoSave();
      store.setValue('open', false);
      const expected = [{pets: {fido: {species: 'dog'}}}, {open: false}];
      await waitFor(
        async () =>
          sameContent(await storage.read(), [...expected, {version: 2}]) &&
          sameContent(store.getContent(), expected),
        timeout,
        'the migrated data, saved with version 2',
      );
      expect(calls).toEqual([0]);
      await persister.load();
      expect(calls).toEqual([0]);
      expect(errors).toEqual([]);
    }));

  it('loads nothing and writes nothing when the migration throws or returns garbage; saves wait', async () => {
    const failing: Migrate[] = [
      () => {
        throw new Error('cannot migrate');
      },
      () => ({tables: {}}) as unknown as Content,
      () => [{pets: {fido: {species: () => 'dog'}}}, {}] as unknown as Content,
    ];
    for (const migrate of failing)
      await withStorage(harness, async (storage, track) => {
        await storage.write([...V1, {version: 1}]);
        const store = createStore().setCell('pets', 'local', 'species', 'cat');
        const errors: unknown[] = [];
        const persister = track(
          await storage.createPersister(store, (error) => errors.push(error), {
            version: 2,
            migrate,
          }),
        );
        void persister.startAutoPersisting();
        store.setCell('pets', 'local', 'legs', 4);
        await persister.save();
        await settle();
        expect(await storage.read()).toEqual([...V1, {version: 1}]);
        expect(store.getContent()).toEqual([{pets: {local: {species: 'cat', legs: 4}}}, {}]);
        expect(
          errors.some((error) => error instanceof Error && error.message.includes('migrate')),
        ).toBe(true);
      });
  });

  it('never loads or writes over data newer than the app, also for an app without a version', async () => {
    for (const options of [{version: 2}, {}])
      await withStorage(harness, async (storage, track) => {
        const newer = [...V2, {version: 3}];
        await storage.write(newer as Content);
        const store = createStore().setCell('pets', 'local', 'species', 'cat');
        const errors: unknown[] = [];
        const persister = track(
          await storage.createPersister(store, (error) => errors.push(error), options),
        );
        void persister.startAutoPersisting();
        store.setCell('pets', 'local', 'legs', 4);
        await persister.save();
        await settle();
        expect(await storage.read()).toEqual(newer);
        expect(store.getContent()).toEqual([{pets: {local: {species: 'cat', legs: 4}}}, {}]);
        expect(named(errors, 'PersisterVersionError').length).toBeGreaterThanOrEqual(1);
      });
  });

  if (!hasTwoWriters(harness)) return;

  it('two persisters of different versions on one storage: the newer migrates, the older stops writing', () =>
    withStorage(harness, async (storage, track) => {
      const {older, olderErrors, olderPersister} = await olderApp(storage, track);
      older.setCell('pets', 'rex', 'kind', 'cat');
      const olderData = [{pets: {fido: {kind: 'dog'}, rex: {kind: 'cat'}}}, {open: true}];
      await waitFor(
        async () => sameContent(await storage.read(), [...olderData, {version: 1}]),
        timeout,
        'the older app’s save',
      );

      const newer = createStore();
      const newerPersister = track(await newerApp(storage, newer));
      await newerPersister.startAutoPersisting();
      const migrated = [{pets: {fido: {species: 'dog'}, rex: {species: 'cat'}}}, {open: true}];
      await waitFor(
        async () => sameContent(await storage.read(), [...migrated, {version: 2}]),
        timeout,
        'the newer app’s migration',
      );
      await waitFor(
        async () => named(olderErrors, 'PersisterVersionError').length > 0,
        timeout,
        'the older app hearing of the newer version',
      );
      expect(older.getContent()).toEqual(olderData);

      // The older app's edits stay local; the newer app's reach storage.
      older.setCell('pets', 'fido', 'kind', 'wolf');
      await olderPersister.save();
      newer.setCell('pets', 'fido', 'color', 'brown');
      const expected = [
        {pets: {fido: {species: 'dog', color: 'brown'}, rex: {species: 'cat'}}},
        {open: true},
        {version: 2},
      ];
      await waitFor(
        async () => sameContent(await storage.read(), expected),
        timeout,
        'the newer app’s edit',
      );
      await settle();
      expect(sameContent(await storage.read(), expected)).toBe(true);
      expect(older.getCell('pets', 'fido', 'kind')).toBe('wolf');
    }));

  if (harness.mergesConcurrentWrites) return;

  it('an older app that has not heard of the migration yet still never writes into the newer data', () =>
    withStorage(harness, async (storage, track) => {
      const {older, olderErrors, olderPersister} = await olderApp(storage, track);
      const newer = createStore();
      const newerPersister = track(await newerApp(storage, newer));
      // The newer app migrates and saves; the older edits at once, before it can have heard.
      await newerPersister.load();
      await newerPersister.save();
      older.setCell('pets', 'fido', 'kind', 'wolf');
      await olderPersister.save();
      const migrated = [...V2, {version: 2}];
      await waitFor(
        async () => named(olderErrors, 'PersisterVersionError').length > 0,
        timeout,
        'the older app finding the newer version',
      );
      await settle();
      expect(sameContent(await storage.read(), migrated)).toBe(true);
      expect(older.getCell('pets', 'fido', 'kind')).toBe('wolf');
    }));
};
