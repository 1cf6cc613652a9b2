// Review of issue 14 (refused data kept, versions, migrations), with fresh eyes:
// the API called as users call it, trying to lose refused data, to report it
// twice or not at all, to make the store show what storage does not hold, to
// run a migration twice or load or overwrite newer data. Each `describe` says
// which promise it tries to break; the findings are in notes/issue-14-review.md.
import type {Changes, Content} from '@x/store';
import {createStore} from '@x/store';
import {describe, expect, it} from 'vitest';
import {
  createCustomPersister,
  createIncrementalPersister,
  type PersistedContent,
  PersisterConflictError,
  PersisterRejectedError,
  type PersisterListener,
  PersisterVersionError,
} from '../src';
import {createManualStorage, settle, until} from './helpers/manual-storage';

const LEGS = {pets: {species: {type: 'string'}, legs: {type: 'number'}}} as const;
const LEGS_DEFAULT = {
  pets: {species: {type: 'string'}, legs: {type: 'number', default: 4}},
} as const;

/** A manual storage that answers at once, its persister, and what it reported. */
const instant = (data: unknown, options?: Parameters<typeof createManualStorage>[0]) => {
  const storage = createManualStorage(options ?? data);
  storage.autoRead = true;
  storage.autoWrite = true;
  return storage;
};

const rejectedOf = (errors: unknown[]) =>
  errors.filter((error): error is PersisterRejectedError => error instanceof PersisterRejectedError);

/**
 * One JSON string with compare-and-set (a write fails with PersisterConflictError
 * when someone wrote since this persister last read or wrote), whose every
 * write is heard by every listener a tick later (a file watcher). Plain JSON:
 * ids such as `__proto__` stay ordinary keys.
 */
const jsonStorage = (initial?: unknown) => {
  let json = initial === undefined ? undefined : JSON.stringify(initial);
  let stamp = 0;
  const listeners = new Set<PersisterListener>();
  const writes: (Changes | undefined)[] = [];
  const hear = () =>
    setTimeout(() => {
      for (const listener of listeners) listener();
    }, 1);
  return {
    read: (): unknown => (json === undefined ? undefined : JSON.parse(json)),
    raw: () => json,
    writes,
    /** Another writer. */
    write(content: unknown) {
      json = JSON.stringify(content);
      stamp++;
      hear();
    },
    create(store: ReturnType<typeof createStore>, onError?: (e: unknown) => void, options = {}) {
      let seen: number | undefined;
      return createCustomPersister(
        store,
        async () => {
          seen = stamp;
          return json === undefined ? undefined : JSON.parse(json);
        },
        async (getContent, changes) => {
          if (seen !== undefined && seen !== stamp) throw new PersisterConflictError();
          writes.push(changes && JSON.parse(JSON.stringify(changes, (_, v) => v ?? null)));
          json = JSON.stringify(getContent());
          seen = ++stamp;
          hear();
        },
        (listener) => {
          listeners.add(listener);
          return listener;
        },
        (listener) => {
          listeners.delete(listener);
        },
        onError,
        options,
      );
    },
  };
};

describe('the store never shows what storage does not hold (refused content replacing the store)', () => {
  it('a row whose stored cells are all refused: cells the store held and storage deleted go too', async () => {
    const storage = instant([{pets: {fido: {legs: 4, color: 'brown'}}}, {}]);
    const errors: unknown[] = [];
    const store = createStore().setTablesSchema({
      pets: {legs: {type: 'number'}, color: {type: 'string'}},
    });
    const persister = storage.createPersister(store, (error) => errors.push(error));
    await persister.startAutoPersisting();
    expect(store.getRow('pets', 'fido')).toEqual({legs: 4, color: 'brown'});
    // Another writer deletes `color` and writes a `legs` the schema refuses.
    storage.data = [{pets: {fido: {legs: 'four'}}}, {}];
    storage.notify();
    await until(() => rejectedOf(errors).length === 1, 'the refusal');
    await settle();
    expect(persister.getRejected()).toEqual([{pets: {fido: {legs: 'four'}}}, {}]);
    // Storage holds no `color`: neither may the store.
    expect(store.getRow('pets', 'fido')).toEqual({});
    // And no save brings the deleted cell back.
    await persister.save();
    expect(storage.data).toEqual([{pets: {fido: {legs: 'four'}}}, {}]);
    await persister.destroy();
  });

  it('a table whose stored rows are all refused: rows the store held and storage deleted go too', async () => {
    const storage = instant([{pets: {fido: {legs: 4}, rex: {legs: 3}}}, {}]);
    const store = createStore().setTablesSchema(LEGS);
    const persister = storage.createPersister(store, () => {});
    await persister.startAutoPersisting();
    // Another writer deletes rex and makes fido's legs a string.
    storage.data = [{pets: {fido: {legs: 'four'}}}, {}];
    storage.notify();
    await until(() => !store.hasCell('pets', 'fido', 'legs'), 'the load');
    await settle();
    expect(store.getTables()).toEqual({});
    await persister.save();
    expect(storage.data).toEqual([{pets: {fido: {legs: 'four'}}}, {}]);
    await persister.destroy();
  });

  it('values that are all refused: values the store held and storage deleted go too', async () => {
    const storage = instant([{}, {open: true}]);
    const store = createStore().setValuesSchema({
      open: {type: 'boolean'},
      employees: {type: 'number'},
    });
    const persister = storage.createPersister(store, () => {});
    await persister.startAutoPersisting();
    // Another writer deletes `open` and writes employees as text.
    storage.data = [{}, {employees: 'three'}];
    await persister.load();
    expect(persister.getRejected()).toEqual([{}, {employees: 'three'}]);
    expect(store.getValues()).toEqual({});
    await persister.save();
    expect(storage.data).toEqual([{}, {employees: 'three'}]);
    await persister.destroy();
  });
});

describe('setTablesSchema inside a transaction', () => {
  it('the app’s write of a cell the schema drops, in the same transaction, wins', async () => {
    const storage = instant([{pets: {fido: {species: 'dog', legs: 'four'}}}, {}]);
    const errors: unknown[] = [];
    const store = createStore();
    const persister = storage.createPersister(store, (error) => errors.push(error));
    await persister.startAutoPersisting();
    // A migration by hand: tighten the schema and convert the cell it drops.
    store.transaction(() => {
      store.setTablesSchema(LEGS);
      store.setCell('pets', 'fido', 'legs', 4);
    });
    await persister.save();
    expect(store.getRow('pets', 'fido')).toEqual({species: 'dog', legs: 4});
    // The app wrote legs = 4: storage must not keep 'four' beside it.
    expect(storage.data).toEqual([{pets: {fido: {species: 'dog', legs: 4}}}, {}]);
    expect(persister.getRejected()).toEqual([{}, {}]);
    await persister.destroy();
  });

  it('a cell written and then dropped by the schema in one transaction is kept, not deleted from storage', async () => {
    const storage = instant([{pets: {fido: {species: 'dog', legs: 'four'}}}, {}]);
    const errors: unknown[] = [];
    const store = createStore();
    const persister = storage.createPersister(store, (error) => errors.push(error));
    await persister.startAutoPersisting();
    store.transaction(() => {
      store.setCell('pets', 'fido', 'legs', 'five');
      store.setTablesSchema(LEGS);
    });
    await persister.save();
    // The schema dropped 'five' (the app's last word on legs): kept in storage and reported.
    expect(storage.data).toEqual([{pets: {fido: {species: 'dog', legs: 'five'}}}, {}]);
    expect(rejectedOf(errors).map((error) => error.rejected)).toEqual([
      [{pets: {fido: {legs: 'five'}}}, {}],
    ]);
    await persister.destroy();
  });

  it('a refused write of the app in the transaction that sets the schema does not delete the stored cell', async () => {
    const storage = instant([{pets: {fido: {species: 'dog', legs: 'four'}}}, {}]);
    const store = createStore();
    const persister = storage.createPersister(store, () => {});
    await persister.startAutoPersisting();
    store.transaction(() => {
      store.setTablesSchema(LEGS);
      // Ignored by the store (refused): it changes nothing.
      store.setCell('pets', 'fido', 'legs', 'many');
    });
    await persister.save();
    expect(storage.data).toEqual([{pets: {fido: {species: 'dog', legs: 'four'}}}, {}]);
    expect(persister.getRejected()).toEqual([{pets: {fido: {legs: 'four'}}}, {}]);
    await persister.destroy();
  });
});

describe('what a schema drops from unsaved or unloaded data stays', () => {
  it('a dropped local cell not yet saved survives a reload before the save', async () => {
    const storage = instant([{pets: {fido: {species: 'dog'}}}, {}]);
    const errors: unknown[] = [];
    const store = createStore();
    const persister = storage.createPersister(store, (error) => errors.push(error));
    await persister.load();
    store.setCell('pets', 'fido', 'legs', 'four');
    store.setTablesSchema(LEGS);
    // Reported as kept: "they stay in storage until the app writes or deletes them".
    expect(rejectedOf(errors).length).toBe(1);
    expect(persister.getRejected()).toEqual([{pets: {fido: {legs: 'four'}}}, {}]);
    // The user reloads (or autoload hears news) before saving.
    await persister.load();
    expect(persister.getRejected()).toEqual([{pets: {fido: {legs: 'four'}}}, {}]);
    await persister.save();
    expect(storage.data).toEqual([{pets: {fido: {species: 'dog', legs: 'four'}}}, {}]);
    await persister.destroy();
  });

  it('a dropped local cell not yet saved survives a conflict on its save (two writers)', async () => {
    const storage = jsonStorage([{pets: {fido: {species: 'dog'}}}, {}]);
    const errors: unknown[] = [];
    const store = createStore();
    const persister = storage.create(store, (error) => errors.push(error));
    await persister.load();
    // Another writer writes meanwhile: this persister's next save conflicts and reloads.
    storage.write([{pets: {fido: {species: 'dog'}, rex: {species: 'cat'}}}, {}]);
    store.setCell('pets', 'fido', 'legs', 'four');
    store.setTablesSchema(LEGS);
    await persister.save();
    expect(storage.read()).toEqual([
      {pets: {fido: {species: 'dog', legs: 'four'}, rex: {species: 'cat'}}},
      {},
    ]);
    await persister.destroy();
  });

  it('a schema set before the first load keeps what it drops from the store’s own data', async () => {
    const storage = instant([{pets: {rex: {species: 'cat'}}}, {}]);
    const errors: unknown[] = [];
    const store = createStore().setTables({pets: {fido: {species: 'dog', legs: 'four'}}});
    const persister = storage.createPersister(store, (error) => errors.push(error));
    store.setTablesSchema(LEGS);
    expect(persister.getRejected()).toEqual([{pets: {fido: {legs: 'four'}}}, {}]);
    await persister.startAutoPersisting();
    await settle();
    expect(storage.data).toEqual([
      {pets: {fido: {species: 'dog', legs: 'four'}, rex: {species: 'cat'}}},
      {},
    ]);
    await persister.destroy();
  });

  it('same, when storage is empty', async () => {
    const storage = instant(undefined);
    const store = createStore().setTables({pets: {fido: {species: 'dog', legs: 'four'}}});
    const persister = storage.createPersister(store, () => {});
    store.setTablesSchema(LEGS);
    await persister.startAutoPersisting();
    await settle();
    expect(storage.data).toEqual([{pets: {fido: {species: 'dog', legs: 'four'}}}, {}]);
    await persister.destroy();
  });
});

describe('the app’s own write of a kept place wins', () => {
  it('writing the value the schema default shows', async () => {
    const storage = instant([{pets: {rex: {species: 'dog', legs: 'three'}}}, {}]);
    const store = createStore().setTablesSchema(LEGS_DEFAULT);
    const persister = storage.createPersister(store, () => {});
    await persister.startAutoPersisting();
    expect(store.getRow('pets', 'rex')).toEqual({species: 'dog', legs: 4});
    // The user confirms: rex has 4 legs.
    store.setCell('pets', 'rex', 'legs', 4);
    await persister.save();
    expect(storage.data).toEqual([{pets: {rex: {species: 'dog', legs: 4}}}, {}]);
    expect(persister.getRejected()).toEqual([{}, {}]);
    await persister.destroy();
  });

  it('deleting a row the store does not hold (all its cells refused)', async () => {
    const storage = instant([{pets: {fido: {species: 'dog'}, rex: {legs: 'three'}}}, {}]);
    const store = createStore().setTablesSchema(LEGS);
    const persister = storage.createPersister(store, () => {});
    await persister.startAutoPersisting();
    expect(persister.getRejected()).toEqual([{pets: {rex: {legs: 'three'}}}, {}]);
    store.delRow('pets', 'rex');
    await persister.save();
    expect(storage.data).toEqual([{pets: {fido: {species: 'dog'}}}, {}]);
    await persister.destroy();
  });

  it('deleting a table the store does not hold (not in the schema)', async () => {
    const storage = instant([{pets: {fido: {species: 'dog'}}, owners: {ann: {name: 'Ann'}}}, {}]);
    const store = createStore().setTablesSchema(LEGS);
    const persister = storage.createPersister(store, () => {});
    await persister.startAutoPersisting();
    expect(persister.getRejected()).toEqual([{owners: {ann: {name: 'Ann'}}}, {}]);
    store.delTable('owners');
    await persister.save();
    expect(storage.data).toEqual([{pets: {fido: {species: 'dog'}}}, {}]);
    await persister.destroy();
  });

  it('deleting a value the store does not hold (refused)', async () => {
    const storage = instant([{}, {open: 'yes', employees: 3}]);
    const store = createStore().setValuesSchema({
      open: {type: 'boolean'},
      employees: {type: 'number'},
    });
    const persister = storage.createPersister(store, () => {});
    await persister.startAutoPersisting();
    store.delValue('open');
    await persister.save();
    expect(storage.data).toEqual([{}, {employees: 3}]);
    await persister.destroy();
  });

  it('setRow replacing the whole row', async () => {
    const storage = instant([{pets: {fido: {species: 'dog', legs: 'four'}}}, {}]);
    const store = createStore().setTablesSchema(LEGS);
    const persister = storage.createPersister(store, () => {});
    await persister.startAutoPersisting();
    store.setRow('pets', 'fido', {species: 'cat'});
    await persister.save();
    expect(storage.data).toEqual([{pets: {fido: {species: 'cat'}}}, {}]);
    await persister.destroy();
  });
});

describe('getRejected() and the error are copies', () => {
  it('mutating a JSON cell of getRejected() or of the error changes nothing in storage', async () => {
    const storage = instant([{pets: {fido: {species: 'dog', legs: {front: 2, back: 2}}}}, {}]);
    const errors: unknown[] = [];
    const store = createStore().setTablesSchema(LEGS);
    const persister = storage.createPersister(store, (error) => errors.push(error));
    await persister.startAutoPersisting();
    const rejected = persister.getRejected();
    (rejected[0].pets.fido.legs as {front: number}).front = 99;
    (rejectedOf(errors)[0].rejected[0].pets.fido.legs as {back: number}).back = 99;
    store.setCell('pets', 'fido', 'species', 'cat');
    await persister.save();
    expect(storage.data).toEqual([{pets: {fido: {species: 'cat', legs: {front: 2, back: 2}}}}, {}]);
    await persister.destroy();
  });
});
