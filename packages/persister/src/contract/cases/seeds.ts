// The seed examples (seeds/persisting-data.md, seeds/custom-persistence.md),
// with the storage calls made backend-neutral.
import {createStore} from '@x/store';
import {sameContent} from '../../canonical-json';
import type {ContractHarness} from '../harness';
import type {ContractTestApi} from '../test-api';
import {waitFor} from '../wait-for';
import {autoLoadTimeout, withStorage} from '../with-storage';

export const seedCases = (harness: ContractHarness, {it, expect}: ContractTestApi): void => {
  const timeout = autoLoadTimeout(harness);

  it('runs the persisting-data seed: save, load, then autoload and autosave', () =>
    withStorage(harness, async (storage, track) => {
      const store = createStore()
        .setValues({employees: 3})
        .setTables({pets: {fido: {species: 'dog'}}});
      const persister = track(await storage.createPersister(store));

      await persister.save();
      expect(await storage.read()).toEqual([{pets: {fido: {species: 'dog'}}}, {employees: 3}]);

      await storage.write([{pets: {toto: {species: 'dog'}}}, {employees: 4}]);
      await persister.load();
      expect(store.getTables()).toEqual({pets: {toto: {species: 'dog'}}});
      expect(store.getValues()).toEqual({employees: 4});

      await persister.startAutoLoad({pets: {fido: {species: 'dog'}}});
      await persister.startAutoSave();
      store.delValues().setTables({pets: {felix: {species: 'cat'}}});
      const felix = [{pets: {felix: {species: 'cat'}}}, {}];
      await waitFor(async () => sameContent(await storage.read(), felix), timeout, 'the autosave');

      await storage.write([{pets: {toto: {species: 'dog'}}}, {}]);
      await waitFor(() => store.hasRow('pets', 'toto'), timeout, 'the autoload');
      expect(store.getTables()).toEqual({pets: {toto: {species: 'dog'}}});
      await persister.destroy();
    }));

  it('runs the custom-persistence seed: save, external change, load', () =>
    withStorage(harness, async (storage, track) => {
      const store = createStore().setTables({pets: {fido: {species: 'dog'}}});
      const persister = track(await storage.createPersister(store));
      await persister.save();
      expect(await storage.read()).toEqual([{pets: {fido: {species: 'dog'}}}, {}]);
      await storage.write([{pets: {fido: {species: 'dog', color: 'brown'}}}, {}]);
      await persister.load();
      expect(store.getTables()).toEqual({pets: {fido: {species: 'dog', color: 'brown'}}});
    }));
};
