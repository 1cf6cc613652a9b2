// Data that cannot be read is reported, leaves the store alone and is never
// overwritten by an automatic save (SPEC §3, guarantee 7).
import {createStore} from '@x/store';
import type {ContractHarness} from '../harness';
import type {ContractTestApi} from '../test-api';
import {withStorage} from '../with-storage';

export const corruptDataCases = (harness: ContractHarness, {it, expect}: ContractTestApi): void => {
  it('reports unreadable data, keeps the store, and never overwrites it, not even after a user change (where the storage can hold such data)', () =>
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
      // A user's edit is no licence to overwrite what could not be read: the
      // data stays (in storage, or kept aside by a backend that can) and the
      // edit stays in the store, pending.
      store.setCell('pets', 'fido', 'color', 'brown');
      await new Promise((resolve) => setTimeout(resolve, 100));
      await persister.schedule(async () => {});
      expect(await storage.readRaw()).toEqual(token);
      expect(store.getContent()).toEqual([{pets: {fido: {species: 'dog', color: 'brown'}}}, {}]);
    }));
};
