// Data that cannot be read is reported, leaves the store alone and is never
// overwritten by an automatic save: local changes wait until storage can be
// read again (or, for a backend that keeps unreadable data aside, until it has
// moved that data aside). `save({overwrite: true})` replaces it on purpose.
import {createStore} from '@x/store';
import {sameContent} from '../../canonical-json';
import type {ContractHarness} from '../harness';
import type {ContractTestApi} from '../test-api';
import {waitFor} from '../wait-for';
import {autoLoadTimeout, withStorage} from '../with-storage';

const FIDO = {pets: {fido: {species: 'dog'}}};
const REX = {pets: {rex: {species: 'dog'}}};

export const corruptDataCases = (harness: ContractHarness, {it, expect}: ContractTestApi): void => {
  it('reports unreadable data, keeps the store, and never writes over it automatically (where the storage can hold such data)', () =>
    withStorage(harness, async (storage, track) => {
      // A storage that cannot hold unreadable data offers neither function.
      expect(typeof storage.writeCorrupt).toBe(typeof storage.readRaw);
      if (!storage.writeCorrupt || !storage.readRaw) return;
      const token = await storage.writeCorrupt();
      const errors: unknown[] = [];
      const store = createStore().setTables(FIDO);
      const persister = track(await storage.createPersister(store, (error) => errors.push(error)));
      await persister.startAutoPersisting({pets: {initial: {species: 'never applied'}}});
      await persister.load();
      expect(errors.length).toBeGreaterThanOrEqual(2);
      expect(store.getContent()).toEqual([FIDO, {}]);
      store.setCell('pets', 'fido', 'color', 'brown');
      await persister.schedule(async () => {});
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (storage.readKeptAside) {
        // This backend moved the unreadable data aside, then saved the store.
        expect(await storage.readKeptAside()).toEqual(token);
        await waitFor(
          async () => sameContent(await storage.read(), store.getContent()),
          autoLoadTimeout(harness),
          'the save after moving the unreadable data aside',
        );
        return;
      }
      expect(persister.getStats().saves).toBe(0);
      expect(await storage.readRaw()).toEqual(token);
      // Another writer repairs storage: the local change goes on top of what it wrote.
      await storage.write([REX, {}]);
      const expected = [{pets: {...REX.pets, fido: {color: 'brown'}}}, {}];
      await waitFor(
        async () =>
          sameContent(await storage.read(), expected) && sameContent(store.getContent(), expected),
        autoLoadTimeout(harness) + 2000,
        'the rebased save once storage could be read',
      );
    }));

  it('replaces unreadable data only when asked to, with save({overwrite: true})', () =>
    withStorage(harness, async (storage, track) => {
      if (!storage.writeCorrupt || !storage.readRaw) return;
      const token = await storage.writeCorrupt();
      const errors: unknown[] = [];
      const store = createStore();
      const persister = track(await storage.createPersister(store, (error) => errors.push(error)));
      await persister.load();
      store.setTables(FIDO);
      await persister.save();
      if (!storage.readKeptAside) expect(await storage.readRaw()).toEqual(token);
      await persister.save({overwrite: true});
      expect(sameContent(await storage.read(), [FIDO, {}])).toBe(true);
      expect(store.getContent()).toEqual([FIDO, {}]);
    }));
};
