// Autosave and autoload: writes reach storage, external writes reach the
// store, loads never save, local changes survive loads, saves coalesce.
import {createStore} from '@x/store';
import {sameContent} from '../../canonical-json';
import type {ContractHarness} from '../harness';
import type {ContractTestApi} from '../test-api';
import {waitFor} from '../wait-for';
import {autoLoadTimeout, withStorage} from '../with-storage';

export const automaticCases = (harness: ContractHarness, {it, expect}: ContractTestApi): void => {
  const timeout = autoLoadTimeout(harness);

  it('autosaves every change to storage', () =>
    withStorage(harness, async (storage, track) => {
      const store = createStore();
      const persister = track(await storage.createPersister(store));
      await persister.startAutoSave();
      store.setTables({pets: {fido: {species: 'dog'}}});
      store.setCell('pets', 'fido', 'color', 'brown');
      store.setValue('open', true);
      store.delCell('pets', 'fido', 'species');
      const expected = [{pets: {fido: {color: 'brown'}}}, {open: true}];
      await waitFor(
        async () => sameContent(await storage.read(), expected),
        timeout,
        'the autosave',
      );
      expect(await storage.read()).toEqual(expected);
    }));

  it('loads first, then saves, when started without awaits; an edit made at once is kept', () =>
    withStorage(harness, async (storage, track) => {
      await storage.write([{pets: {fido: {species: 'dog'}}}, {}]);
      const store = createStore();
      const persister = track(await storage.createPersister(store));
      void persister.startAutoLoad();
      void persister.startAutoSave();
      store.setCell('pets', 'rex', 'species', 'cat');
      const expected = [{pets: {fido: {species: 'dog'}, rex: {species: 'cat'}}}, {}];
      await waitFor(
        async () =>
          sameContent(await storage.read(), expected) && sameContent(store.getContent(), expected),
        timeout,
        'the load, then the save of the edit',
      );
    }));

  it('has an edit made right after an un-awaited startAutoPersisting in storage when destroy() resolves', () =>
    withStorage(harness, async (storage) => {
      await storage.write([{pets: {fido: {species: 'dog'}}}, {}]);
      const store = createStore();
      const persister = await storage.createPersister(store);
      void persister.startAutoPersisting();
      store.setCell('pets', 'rex', 'species', 'cat');
      await persister.destroy();
      expect(
        sameContent(await storage.read(), [
          {pets: {fido: {species: 'dog'}, rex: {species: 'cat'}}},
          {},
        ]),
      ).toBe(true);
    }));

  it('autoloads what another writer writes', () =>
    withStorage(harness, async (storage, track) => {
      await storage.write([{pets: {fido: {species: 'dog'}}}, {}]);
      const store = createStore();
      const persister = track(await storage.createPersister(store));
      await persister.startAutoLoad();
      expect(store.getTables()).toEqual({pets: {fido: {species: 'dog'}}});
      const external = [{pets: {toto: {species: 'dog'}}}, {employees: 4}];
      await storage.write([{pets: {toto: {species: 'dog'}}}, {employees: 4}]);
      await waitFor(() => sameContent(store.getContent(), external), timeout, 'the autoload');
      expect(store.getContent()).toEqual(external);
    }));

  it('never saves because it loaded', () =>
    withStorage(harness, async (storage, track) => {
      const first = [{pets: {fido: {species: 'dog'}}}, {}];
      await storage.write([{pets: {fido: {species: 'dog'}}}, {}]);
      const store = createStore();
      const persister = track(await storage.createPersister(store));
      await persister.startAutoPersisting();
      await persister.load();
      expect(store.getContent()).toEqual(first);
      const second = [{pets: {felix: {species: 'cat'}}}, {n: 1}];
      await storage.write([{pets: {felix: {species: 'cat'}}}, {n: 1}]);
      await waitFor(() => sameContent(store.getContent(), second), timeout, 'the autoload');
      await persister.schedule(async () => {});
      expect(persister.getStats().saves).toBe(0);
      expect(await storage.read()).toEqual(second);
    }));

  it('keeps local changes not yet saved across a load while autosaving, and saves them', () =>
    withStorage(harness, async (storage, track) => {
      await storage.write([{pets: {fido: {species: 'dog'}}}, {}]);
      const store = createStore();
      const persister = track(await storage.createPersister(store));
      await persister.startAutoPersisting();
      // Hold the persister's queue so the local change cannot be saved before the load.
      await persister.schedule(async () => {
        await storage.write([{pets: {fido: {species: 'dog'}, rex: {species: 'dog'}}}, {}]);
        void persister.load();
        store.setCell('pets', 'felix', 'species', 'cat');
      });
      const expected = [
        {pets: {fido: {species: 'dog'}, rex: {species: 'dog'}, felix: {species: 'cat'}}},
        {},
      ];
      await waitFor(async () => sameContent(await storage.read(), expected), timeout, 'the save');
      expect(store.getContent()).toEqual(expected);
    }));

  it('coalesces many transactions into few saves', () =>
    withStorage(harness, async (storage, track) => {
      const store = createStore();
      const persister = track(await storage.createPersister(store));
      await persister.startAutoPersisting();
      const savesBefore = persister.getStats().saves;
      for (let index = 0; index < 200; index++) store.setCell('t', `r${index % 20}`, 'n', index);
      await waitFor(
        async () => sameContent(await storage.read(), store.getContent()),
        timeout,
        'the saves',
      );
      expect(persister.getStats().saves - savesBefore).toBeLessThanOrEqual(2);
    }));
  if (harness.persistersHearEachOther === false) return;
  it('keeps two persisters on one storage in step, without saving back what they hear', () =>
    withStorage(harness, async (storage, track) => {
      const first = createStore();
      const second = createStore();
      const firstPersister = track(await storage.createPersister(first));
      await firstPersister.startAutoPersisting([{pets: {fido: {species: 'dog'}}}, {}]);
      const secondPersister = track(await storage.createPersister(second));
      await secondPersister.startAutoPersisting();
      expect(second.getContent()).toEqual([{pets: {fido: {species: 'dog'}}}, {}]);

      first.setCell('pets', 'fido', 'color', 'brown');
      await waitFor(
        () => second.getCell('pets', 'fido', 'color') === 'brown',
        timeout,
        'the second store',
      );
      second.setRow('pets', 'felix', {species: 'cat'});
      await waitFor(() => first.hasRow('pets', 'felix'), timeout, 'the first store');

      const expected = [
        {pets: {fido: {species: 'dog', color: 'brown'}, felix: {species: 'cat'}}},
        {},
      ];
      await waitFor(async () => sameContent(await storage.read(), expected), timeout, 'storage');
      expect(first.getContent()).toEqual(expected);
      expect(second.getContent()).toEqual(expected);
      // One save for the initial content and one per local change: nothing heard was saved back.
      expect(firstPersister.getStats().saves).toBeLessThanOrEqual(2);
      expect(secondPersister.getStats().saves).toBeLessThanOrEqual(1);
    }));
};
