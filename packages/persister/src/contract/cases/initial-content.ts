// `initial` applies only when nothing is persisted, in both of its forms.
import {createStore} from '@x/store';
import type {ContractHarness} from '../harness';
import type {ContractTestApi} from '../test-api';
import {withStorage} from '../with-storage';

const FIDO = {pets: {fido: {species: 'dog'}}};

export const initialContentCases = (
  harness: ContractHarness,
  {it, expect}: ContractTestApi,
): void => {
  it('applies initial (tables, values) when nothing is persisted, without saving it', () =>
    withStorage(harness, async (storage, track) => {
      const store = createStore();
      const persister = track(await storage.createPersister(store));
      await persister.load(FIDO, {employees: 3});
      expect(store.getContent()).toEqual([FIDO, {employees: 3}]);
      expect(await storage.read()).toBeUndefined();
      expect(persister.getStats().saves).toBe(0);
    }));

  it('applies an initial Content tuple, or a function returning one, when nothing is persisted', () =>
    withStorage(harness, async (storage, track) => {
      const store = createStore();
      const persister = track(await storage.createPersister(store));
      await persister.load([FIDO, {open: true}]);
      expect(store.getContent()).toEqual([FIDO, {open: true}]);
      await persister.load(() => [{}, {open: false}]);
      expect(store.getContent()).toEqual([{}, {open: false}]);
    }));

  it('ignores initial content when something is persisted', () =>
    withStorage(harness, async (storage, track) => {
      await storage.write([{pets: {toto: {species: 'dog'}}}, {}]);
      const store = createStore();
      const persister = track(await storage.createPersister(store));
      await persister.startAutoLoad(FIDO);
      expect(store.getTables()).toEqual({pets: {toto: {species: 'dog'}}});
      await persister.stopAutoLoad();
      await persister.load([FIDO, {}]);
      expect(store.getTables()).toEqual({pets: {toto: {species: 'dog'}}});
    }));

  it('saves initial content once autosave starts on an empty storage', () =>
    withStorage(harness, async (storage, track) => {
      const store = createStore();
      const persister = track(await storage.createPersister(store));
      await persister.startAutoPersisting(FIDO);
      expect(await storage.read()).toEqual([FIDO, {}]);
    }));
};
