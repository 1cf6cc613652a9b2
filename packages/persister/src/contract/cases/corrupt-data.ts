// Data that cannot be read is reported, leaves the store alone and is not
// overwritten until the user changes data.
import {createStore} from '@x/store';
import {sameContent} from '../../canonical-json';
import type {ContractHarness} from '../harness';
import type {ContractTestApi} from '../test-api';
import {waitFor} from '../wait-for';
import {autoLoadTimeout, withStorage} from '../with-storage';

export const corruptDataCases = (harness: ContractHarness, {it, expect}: ContractTestApi): void => {
  it('reports unreadable data, keeps the store, and overwrites it only after a user change (where the storage can hold such data)', () =>
    withStorage(harness, async (storage, track) => {
      // A storage that cannot hold unreadable data offers neither function.
      expect(typeof storage.writeCorrupt).toBe(typeof storage.readRaw);
      if (!storage.writeCorrupt || !storage.readRaw) return;
      const token = await storage.writeCorrupt();
      const errors: unknown[] = [];
      const store = createStore().setTables({pets: {fido: {species: 'dog'}}});
      const persister = track(await storage.createPersister(store, (error) => errors.push(error)));
      await persister.startAutoPersisting({pets: {initial: {species: 'never applied'}}});
      await persister.load();
      await persister.schedule(async () => {});
      expect(errors.length).toBeGreaterThanOrEqual(2);
      expect(store.getContent()).toEqual([{pets: {fido: {species: 'dog'}}}, {}]);
      expect(persister.getStats().saves).toBe(0);
      expect(await storage.readRaw()).toEqual(token);
      store.setCell('pets', 'fido', 'color', 'brown');
      const expected = [{pets: {fido: {species: 'dog', color: 'brown'}}}, {}];
      await waitFor(
        async () => sameContent(await storage.read(), expected),
        autoLoadTimeout(harness),
        'the save after the user change',
      );
    }));
};
