// Stored data that the store's schema refuses is reported once and kept in
// storage through every save, until the app writes that place itself or
// deletes its row. A schema set on a store that holds data keeps what it
// drops in storage too.
import {createStore} from '@x/store';
import {sameContent} from '../../canonical-json';
import type {ContractHarness} from '../harness';
import type {ContractTestApi} from '../test-api';
import {waitFor} from '../wait-for';
import {autoLoadTimeout, withStorage} from '../with-storage';

const LEGS_AS_NUMBERS = {pets: {species: {type: 'string'}, legs: {type: 'number'}}} as const;

const named = (errors: unknown[], name: string): unknown[] =>
  errors.filter((error) => error instanceof Error && error.name === name);

export const schemaRefusedCases = (
  harness: ContractHarness,
  {it, expect}: ContractTestApi,
): void => {
  const timeout = autoLoadTimeout(harness);

  it('keeps stored cells and values the schema refuses through every save, until the app writes or deletes them', () =>
    withStorage(harness, async (storage, track) => {
      await storage.write([
        {pets: {fido: {species: 'dog', legs: 'four'}, rex: {legs: 'three'}}},
        {employees: 3, open: 'yes'},
      ]);
      const store = createStore()
        .setTablesSchema(LEGS_AS_NUMBERS)
        .setValuesSchema({employees: {type: 'number'}});
      const errors: unknown[] = [];
      const persister = track(await storage.createPersister(store, (error) => errors.push(error)));
      // As users call it: no awaits, and an edit at once.
      void persister.startAutoLoad();
      void persister.startAutoSave();
      store.setCell('pets', 'fido', 'species', 'cat');
      const kept = [{pets: {fido: {legs: 'four'}, rex: {legs: 'three'}}}, {open: 'yes'}];
      await waitFor(
        async () =>
          sameContent(await storage.read(), [
            {pets: {fido: {species: 'cat', legs: 'four'}, rex: {legs: 'three'}}},
            {employees: 3, open: 'yes'},
          ]) && persister.getStats().saves > 0,
        timeout,
        'the save of the edit, with the refused data kept',
      );
      expect(store.getContent()).toEqual([{pets: {fido: {species: 'cat'}}}, {employees: 3}]);
      expect(sameContent(persister.getRejected(), kept)).toBe(true);
      const reported = named(errors, 'PersisterRejectedError');
      expect(reported.length).toBe(1);
      expect(sameContent((reported[0] as {rejected: unknown}).rejected, kept)).toBe(true);
      const message = (reported[0] as Error).message;
      expect(message.includes('tables/pets/rex/legs: "three"')).toBe(true);
      expect(message.includes('values/open: "yes"')).toBe(true);

      // A full save keeps it too.
      await persister.save();
      expect(
        sameContent(await storage.read(), [
          {pets: {fido: {species: 'cat', legs: 'four'}, rex: {legs: 'three'}}},
          {employees: 3, open: 'yes'},
        ]),
      ).toBe(true);

      // The app's own writes win; a row the app deletes goes with its kept cells.
      store.setCell('pets', 'rex', 'legs', 3);
      store.delRow('pets', 'fido');
      const expected = [{pets: {rex: {legs: 3}}}, {employees: 3, open: 'yes'}];
      await waitFor(
        async () => sameContent(await storage.read(), expected),
        timeout,
        'the app’s own writes over the kept cells',
      );
      expect(sameContent(persister.getRejected(), [{}, {open: 'yes'}])).toBe(true);
      expect(named(errors, 'PersisterRejectedError').length).toBe(1);
    }));

  it('keeps a stored cell that a schema default stands in for', () =>
    withStorage(harness, async (storage, track) => {
      await storage.write([{pets: {rex: {species: 'dog', legs: 'three'}}}, {}]);
      const store = createStore().setTablesSchema({
        pets: {species: {type: 'string'}, legs: {type: 'number', default: 4}},
      });
      const errors: unknown[] = [];
      const persister = track(await storage.createPersister(store, (error) => errors.push(error)));
      await persister.startAutoPersisting();
      expect(store.getRow('pets', 'rex')).toEqual({species: 'dog', legs: 4});
      store.setCell('pets', 'rex', 'species', 'cat');
      const expected = [{pets: {rex: {species: 'cat', legs: 'three'}}}, {}];
      await waitFor(
        async () => sameContent(await storage.read(), expected),
        timeout,
        'the save of the edit, with the stored cell kept',
      );
      await persister.save();
      expect(sameContent(await storage.read(), expected)).toBe(true);
      expect(named(errors, 'PersisterRejectedError').length).toBe(1);
    }));

  it('keeps in storage what a schema set on a store with data drops', () =>
    withStorage(harness, async (storage, track) => {
      const store = createStore();
      const errors: unknown[] = [];
      const persister = track(await storage.createPersister(store, (error) => errors.push(error)));
      await persister.startAutoPersisting();
      store.setTables({pets: {fido: {species: 'dog', legs: 'four'}, rex: {legs: 'three'}}});
      await waitFor(
        async () =>
          sameContent(await storage.read(), [
            {pets: {fido: {species: 'dog', legs: 'four'}, rex: {legs: 'three'}}},
            {},
          ]),
        timeout,
        'the first save',
      );
      store.setTablesSchema(LEGS_AS_NUMBERS);
      expect(store.getTables()).toEqual({pets: {fido: {species: 'dog'}}});
      store.setCell('pets', 'fido', 'species', 'cat');
      const expected = [{pets: {fido: {species: 'cat', legs: 'four'}, rex: {legs: 'three'}}}, {}];
      await waitFor(
        async () => sameContent(await storage.read(), expected),
        timeout,
        'the save after the schema, with the dropped cells kept',
      );
      await persister.save();
      expect(sameContent(await storage.read(), expected)).toBe(true);
      expect(named(errors, 'PersisterRejectedError').length).toBe(1);
      expect(
        sameContent(persister.getRejected(), [
          {pets: {fido: {legs: 'four'}, rex: {legs: 'three'}}},
          {},
        ]),
      ).toBe(true);
    }));
};
