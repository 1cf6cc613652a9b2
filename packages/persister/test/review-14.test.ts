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
  type PersisterListener,
  PersisterRejectedError,
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
  errors.filter(
    (error): error is PersisterRejectedError => error instanceof PersisterRejectedError,
  );

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

  it('a schema set before the first load keeps what it drops from the store’s own data (storage empty)', async () => {
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
  // Documented limitation: a write of the value the store already shows is no change,
  // so no listener hears it; the kept cell stays until a different value is written.
  it('writing the value the schema default shows (documented: no change, the kept cell stays)', async () => {
    const storage = instant([{pets: {rex: {species: 'dog', legs: 'three'}}}, {}]);
    const store = createStore().setTablesSchema(LEGS_DEFAULT);
    const persister = storage.createPersister(store, () => {});
    await persister.startAutoPersisting();
    expect(store.getRow('pets', 'rex')).toEqual({species: 'dog', legs: 4});
    // The user confirms: rex has 4 legs. The store does not change, nothing hears it.
    store.setCell('pets', 'rex', 'legs', 4);
    await persister.save();
    expect(storage.data).toEqual([{pets: {rex: {species: 'dog', legs: 'three'}}}, {}]);
    expect(persister.getRejected()).toEqual([{pets: {rex: {legs: 'three'}}}, {}]);
    await persister.destroy();
  });

  // Documented limitation: deleting what the store does not hold is no change, so no
  // listener hears it; the kept data stays (write a cell there, then delete the row).
  it('deleting a row the store does not hold (documented: it stays; a write then a delete removes it)', async () => {
    const storage = instant([{pets: {fido: {species: 'dog'}, rex: {legs: 'three'}}}, {}]);
    const store = createStore().setTablesSchema(LEGS);
    const persister = storage.createPersister(store, () => {});
    await persister.startAutoPersisting();
    expect(persister.getRejected()).toEqual([{pets: {rex: {legs: 'three'}}}, {}]);
    store.delRow('pets', 'rex');
    await persister.save();
    expect(storage.data).toEqual([{pets: {fido: {species: 'dog'}, rex: {legs: 'three'}}}, {}]);
    store.setCell('pets', 'rex', 'legs', 3).delRow('pets', 'rex');
    await persister.save();
    expect(storage.data).toEqual([{pets: {fido: {species: 'dog'}}}, {}]);
    await persister.destroy();
  });

  it('deleting a table the store does not hold (documented: it stays)', async () => {
    const storage = instant([{pets: {fido: {species: 'dog'}}, owners: {ann: {name: 'Ann'}}}, {}]);
    const store = createStore().setTablesSchema(LEGS);
    const persister = storage.createPersister(store, () => {});
    await persister.startAutoPersisting();
    expect(persister.getRejected()).toEqual([{owners: {ann: {name: 'Ann'}}}, {}]);
    store.delTable('owners');
    await persister.save();
    expect(storage.data).toEqual([
      {pets: {fido: {species: 'dog'}}, owners: {ann: {name: 'Ann'}}},
      {},
    ]);
    await persister.destroy();
  });

  it('deleting a value the store does not hold (documented: it stays; a write then a delete removes it)', async () => {
    const storage = instant([{}, {open: 'yes', employees: 3}]);
    const store = createStore().setValuesSchema({
      open: {type: 'boolean'},
      employees: {type: 'number'},
    });
    const persister = storage.createPersister(store, () => {});
    await persister.startAutoPersisting();
    store.delValue('open');
    await persister.save();
    expect(storage.data).toEqual([{}, {open: 'yes', employees: 3}]);
    store.setValue('open', true).delValue('open');
    await persister.save();
    expect(storage.data).toEqual([{}, {employees: 3}]);
    await persister.destroy();
  });

  // Documented: the app's write wins cell by cell; a row written without the kept
  // cell keeps it (setRow cannot be told from setCell by what changed).
  it('setRow replacing the whole row (documented: cell by cell, the kept cell stays)', async () => {
    const storage = instant([{pets: {fido: {species: 'dog', legs: 'four'}}}, {}]);
    const store = createStore().setTablesSchema(LEGS);
    const persister = storage.createPersister(store, () => {});
    await persister.startAutoPersisting();
    store.setRow('pets', 'fido', {species: 'cat'});
    await persister.save();
    expect(storage.data).toEqual([{pets: {fido: {species: 'cat', legs: 'four'}}}, {}]);
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

/** Rows in a Map behind createIncrementalPersister, with every call logged. */
const rowStorage = (initial?: PersistedContent, withReplaceAll = true) => {
  let tables: {[t: string]: {[r: string]: Record<string, unknown>}} | undefined;
  let values: Record<string, unknown> = {};
  let version = 0;
  const calls: string[] = [];
  const put = (content: PersistedContent) => {
    const [t, v, meta] = JSON.parse(JSON.stringify(content)) as PersistedContent;
    tables = t as never;
    values = v;
    version = meta?.version ?? 0;
  };
  if (initial) put(initial);
  const read = (): PersistedContent | undefined => {
    if (!tables) return undefined;
    const copy = JSON.parse(JSON.stringify([tables, values])) as Content;
    return version ? [copy[0], copy[1], {version}] : copy;
  };
  return {
    read,
    calls,
    storage: {
      getPersisted: async () => read(),
      putRows: async (tableId: string, rows: Record<string, Record<string, unknown>>) => {
        calls.push(`putRows ${tableId} ${JSON.stringify(rows)}`);
        tables ??= {};
        if (!Object.hasOwn(tables, tableId))
          Object.defineProperty(tables, tableId, {value: {}, enumerable: true, writable: true});
        for (const rowId of Object.keys(rows))
          Object.defineProperty(tables[tableId], rowId, {
            value: JSON.parse(JSON.stringify(rows[rowId])),
            enumerable: true,
            writable: true,
            configurable: true,
          });
      },
      delRows: async (tableId: string, rowIds: string[]) => {
        calls.push(`delRows ${tableId} ${rowIds}`);
        for (const rowId of rowIds) if (tables?.[tableId]) delete tables[tableId][rowId];
        if (tables?.[tableId] && Object.keys(tables[tableId]).length === 0) delete tables[tableId];
      },
      delTable: async (tableId: string) => {
        calls.push(`delTable ${tableId}`);
        if (tables) delete tables[tableId];
      },
      putValues: async (newValues: Record<string, unknown>) => {
        calls.push(`putValues ${JSON.stringify(newValues)}`);
        tables ??= {};
        values = {...values, ...newValues};
      },
      delValues: async (valueIds: string[]) => {
        calls.push(`delValues ${valueIds}`);
        for (const valueId of valueIds) delete values[valueId];
      },
      clear: async () => {
        calls.push('clear');
        tables = {};
        values = {};
      },
      ...(withReplaceAll
        ? {
            replaceAll: async (content: PersistedContent) => {
              calls.push(`replaceAll ${JSON.stringify(content)}`);
              put(content);
            },
          }
        : {}),
    },
  };
};

describe('versions: older data', () => {
  it('a version without migrate takes older data as it is and stamps it with the new version (documented in PersisterOptions.migrate only)', async () => {
    const v1 = [{pets: {fido: {kind: 'dog'}}}, {}, {version: 1}];
    const storage = instant(v1);
    const errors: unknown[] = [];
    const store = createStore();
    const persister = storage.createPersister(store, (error) => errors.push(error), {version: 2});
    await persister.startAutoPersisting();
    await until(() => storage.writeCalls.length > 0, 'the save');
    // A later app with migrate(…, 1) will never see this data as version 1 again.
    expect(storage.data).toEqual([{pets: {fido: {kind: 'dog'}}}, {}, {version: 2}]);
    expect(errors).toEqual([]);
    await persister.destroy();
  });

  it('migrated content the schema partly refuses: kept, reported once, saved whole with the new version', async () => {
    const storage = instant([{pets: {fido: {kind: 'dog', legs: 'four'}}}, {}]);
    const errors: unknown[] = [];
    const calls: number[] = [];
    const store = createStore().setTablesSchema(LEGS);
    const persister = storage.createPersister(store, (error) => errors.push(error), {
      version: 2,
      migrate: ([tables, values], from) => {
        calls.push(from);
        const {kind, ...rest} = tables.pets.fido;
        return [{pets: {fido: {...rest, species: kind}}}, values];
      },
    });
    await persister.startAutoPersisting();
    await until(() => storage.writeCalls.length > 0, 'the save of the migrated data');
    await settle();
    expect(storage.data).toEqual([
      {pets: {fido: {species: 'dog', legs: 'four'}}},
      {},
      {version: 2},
    ]);
    expect(store.getContent()).toEqual([{pets: {fido: {species: 'dog'}}}, {}]);
    expect(calls).toEqual([0]);
    expect(rejectedOf(errors).length).toBe(1);
    // Reading it again (now version 2) neither migrates nor reports again.
    await persister.load();
    expect(calls).toEqual([0]);
    expect(rejectedOf(errors).length).toBe(1);
    await persister.destroy();
  });

  it('a migration failing on news leaves what the store shows and the pending edits alone; they go out once storage is fixed', async () => {
    const storage = instant([{pets: {fido: {species: 'dog'}}}, {}, {version: 2}]);
    const errors: unknown[] = [];
    const store = createStore();
    const persister = storage.createPersister(store, (error) => errors.push(error), {
      version: 2,
      migrate: () => {
        throw new Error('cannot');
      },
    });
    await persister.startAutoPersisting();
    // An old app (no version) writes version-0 data: this app's migration fails on it.
    storage.data = [{pets: {fido: {kind: 'wolf'}}}, {}];
    storage.notify(storage.data as Content);
    await until(() => errors.length > 0, 'the migration error');
    store.setCell('pets', 'rex', 'species', 'cat');
    await settle();
    expect(store.getContent()).toEqual([
      {pets: {fido: {species: 'dog'}, rex: {species: 'cat'}}},
      {},
    ]);
    expect(storage.data).toEqual([{pets: {fido: {kind: 'wolf'}}}, {}]);
    // Someone puts version-2 data back: the pending edit goes out on top of it.
    storage.data = [{pets: {fido: {species: 'wolf'}}}, {}, {version: 2}];
    storage.notify();
    await until(() => JSON.stringify(storage.data).includes('rex'), 'the pending edit');
    expect(storage.data).toEqual([
      {pets: {fido: {species: 'wolf'}, rex: {species: 'cat'}}},
      {},
      {version: 2},
    ]);
    await persister.destroy();
  });
});

describe('versions: newer data', () => {
  it('createIncrementalPersister: newer data is neither loaded nor written, by autosave or save()', async () => {
    const newer: PersistedContent = [{animals: {fido: {species: 'dog'}}}, {}, {version: 3}];
    const rows = rowStorage(newer);
    const errors: unknown[] = [];
    const store = createStore().setTables({pets: {rex: {species: 'cat'}}});
    const persister = createIncrementalPersister(
      store,
      rows.storage,
      (error) => errors.push(error),
      {
        version: 2,
      },
    );
    await persister.startAutoPersisting();
    store.setCell('pets', 'rex', 'legs', 4);
    await persister.save();
    await settle();
    expect(rows.calls).toEqual([]);
    expect(rows.read()).toEqual(newer);
    expect(store.hasTable('animals')).toBe(false);
    expect(errors.some((error) => error instanceof PersisterVersionError)).toBe(true);
    await persister.destroy();
  });

  it('news of newer content while a user transaction is open: nothing loaded, the transaction’s writes stay pending', async () => {
    const storage = instant([{pets: {fido: {species: 'dog'}}}, {}, {version: 1}]);
    const errors: unknown[] = [];
    const store = createStore();
    const persister = storage.createPersister(store, (error) => errors.push(error), {version: 1});
    await persister.startAutoPersisting();
    store.startTransaction();
    store.setCell('pets', 'fido', 'color', 'brown');
    storage.data = [{animals: {fido: {species: 'dog'}}}, {}, {version: 2}];
    storage.notify(storage.data as Content);
    await settle();
    store.finishTransaction();
    await settle();
    await persister.save();
    expect(store.getContent()).toEqual([{pets: {fido: {species: 'dog', color: 'brown'}}}, {}]);
    expect(storage.data).toEqual([{animals: {fido: {species: 'dog'}}}, {}, {version: 2}]);
    await persister.destroy();
  });

  it('a far-future version and garbage versions heard as content are reported and written over by nothing', async () => {
    for (const meta of [{version: Number.MAX_SAFE_INTEGER}, {version: -1}, {version: '1'}, null]) {
      const storage = instant([{pets: {fido: {species: 'dog'}}}, {}, {version: 1}]);
      const errors: unknown[] = [];
      const store = createStore();
      const persister = storage.createPersister(store, (error) => errors.push(error), {version: 1});
      await persister.startAutoPersisting();
      const bad = [{pets: {}}, {}, meta];
      storage.data = bad;
      storage.notify(bad as never);
      await until(() => errors.length > 0, 'the error');
      store.setCell('pets', 'fido', 'color', 'brown');
      await persister.save();
      await settle();
      expect(storage.data).toEqual(bad);
      expect(store.getRow('pets', 'fido')).toEqual({species: 'dog', color: 'brown'});
      await persister.destroy();
    }
  });
});

describe('createIncrementalPersister keeps refused data', () => {
  it('a full save without replaceAll (clear + puts) and an incremental one keep it, merged into whole-row puts', async () => {
    const rows = rowStorage([{pets: {rex: {species: 'dog', legs: 'three'}}}, {open: 'yes'}], false);
    const store = createStore()
      .setTablesSchema(LEGS_DEFAULT)
      .setValuesSchema({open: {type: 'boolean'}, n: {type: 'number'}});
    const persister = createIncrementalPersister(store, rows.storage, () => {});
    await persister.startAutoPersisting();
    expect(store.getRow('pets', 'rex')).toEqual({species: 'dog', legs: 4});
    await persister.save();
    expect(rows.read()).toEqual([{pets: {rex: {species: 'dog', legs: 'three'}}}, {open: 'yes'}]);
    store.setCell('pets', 'rex', 'species', 'cat');
    store.setValue('n', 1);
    await persister.save();
    await settle();
    expect(rows.read()).toEqual([
      {pets: {rex: {species: 'cat', legs: 'three'}}},
      {open: 'yes', n: 1},
    ]);
    await persister.destroy();
  });
});

describe('ids such as __proto__ and constructor in refused data', () => {
  it('are kept through full and incremental saves and reported with their paths', async () => {
    const stored = JSON.parse(
      '[{"__proto__":{"constructor":{"legs":"four","species":"dog"}},"pets":{"__proto__":{"legs":"x"}}},{"__proto__":"yes"}]',
    );
    const storage = jsonStorage(stored);
    const errors: unknown[] = [];
    const store = createStore()
      .setTablesSchema(
        JSON.parse(
          '{"__proto__":{"species":{"type":"string"},"legs":{"type":"number"}},"pets":{"legs":{"type":"number"}}}',
        ),
      )
      .setValuesSchema(JSON.parse('{"__proto__":{"type":"boolean"}}'));
    const persister = storage.create(store, (error) => errors.push(error));
    await persister.startAutoPersisting();
    expect(store.getCell('__proto__', 'constructor', 'species')).toBe('dog');
    expect(rejectedOf(errors).length).toBe(1);
    expect(rejectedOf(errors)[0].message).toContain('tables/__proto__/constructor/legs: "four"');
    expect(rejectedOf(errors)[0].message).toContain('values/__proto__: "yes"');
    store.setCell('__proto__', 'constructor', 'species', 'cat');
    await until(() => storage.raw()?.includes('cat') ?? false, 'the autosave');
    expect(JSON.parse(storage.raw()!)).toEqual(
      JSON.parse(
        '[{"__proto__":{"constructor":{"legs":"four","species":"cat"}},"pets":{"__proto__":{"legs":"x"}}},{"__proto__":"yes"}]',
      ),
    );
    expect(({} as Record<string, unknown>).legs).toBeUndefined();
    await persister.destroy();
  });

  it('createIncrementalPersister merges kept cells into a whole-row put of row __proto__', async () => {
    const rows = rowStorage(
      JSON.parse('[{"pets":{"__proto__":{"species":"dog","legs":"four"}}},{}]') as PersistedContent,
    );
    const store = createStore().setTablesSchema(LEGS);
    const persister = createIncrementalPersister(store, rows.storage, () => {});
    await persister.startAutoPersisting();
    store.setCell('pets', '__proto__', 'species', 'cat');
    await persister.save();
    await settle();
    expect(JSON.stringify(rows.read())).toBe(
      '[{"pets":{"__proto__":{"species":"cat","legs":"four"}}},{}]',
    );
    await persister.destroy();
  });
});

describe('refused data is reported once, and not more', () => {
  it('a store listener that throws during the load: one report, none on the next transactions', async () => {
    const storage = instant([{pets: {fido: {species: 'dog', legs: 'four'}}}, {}]);
    const errors: unknown[] = [];
    const store = createStore().setTablesSchema(LEGS);
    store.addRowListener(null, null, () => {
      throw new Error('listener');
    });
    const persister = storage.createPersister(store, (error) => errors.push(error));
    await persister.startAutoPersisting();
    try {
      store.setCell('pets', 'rex', 'species', 'cat');
    } catch {}
    await persister.load();
    await persister.save();
    expect(rejectedOf(errors).length).toBe(1);
    expect(storage.data).toEqual([
      {pets: {fido: {species: 'dog', legs: 'four'}, rex: {species: 'cat'}}},
      {},
    ]);
    await persister.destroy();
  });

  it('conflicts, echoes and reloads of the same refused data report nothing more', async () => {
    const storage = jsonStorage([{pets: {fido: {species: 'dog', legs: 'four'}}}, {open: 'yes'}]);
    const errors: unknown[] = [];
    const store = createStore()
      .setTablesSchema({pets: {...LEGS.pets, color: {type: 'string'}}})
      .setValuesSchema({open: {type: 'boolean'}});
    const persister = storage.create(store, (error) => errors.push(error));
    await persister.startAutoPersisting();
    for (let round = 0; round < 3; round++) {
      storage.write([
        {pets: {fido: {species: 'dog', legs: 'four'}, [`r${round}`]: {species: 'cat'}}},
        {open: 'yes'},
      ]);
      store.setCell('pets', 'fido', 'color', `c${round}`);
      await persister.save();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(rejectedOf(errors).length).toBe(1);
    expect(storage.read()).toEqual([
      {pets: {fido: {species: 'dog', legs: 'four', color: 'c2'}, r2: {species: 'cat'}}},
      {open: 'yes'},
    ]);
    await persister.destroy();
  });

  it('a refused value replaced by a values-schema default is kept and reported', async () => {
    const storage = instant([{}, {open: 'yes'}]);
    const errors: unknown[] = [];
    const store = createStore().setValuesSchema({
      open: {type: 'boolean', default: false},
      n: {type: 'number'},
    });
    const persister = storage.createPersister(store, (error) => errors.push(error));
    await persister.startAutoPersisting();
    expect(store.getValues()).toEqual({open: false});
    store.setValue('n', 1);
    await persister.save();
    expect(storage.data).toEqual([{}, {open: 'yes', n: 1}]);
    expect(rejectedOf(errors).map((error) => error.rejected)).toEqual([[{}, {open: 'yes'}]]);
    await persister.destroy();
  });

  it('refused changes heard while a user transaction is open: applied after it, kept, reported once', async () => {
    const storage = instant([{pets: {fido: {species: 'dog', legs: 4}}}, {}]);
    const errors: unknown[] = [];
    const store = createStore().setTablesSchema(LEGS);
    const persister = storage.createPersister(store, (error) => errors.push(error));
    await persister.startAutoPersisting();
    store.startTransaction();
    store.setCell('pets', 'fido', 'species', 'cat');
    storage.data = [{pets: {fido: {species: 'dog', legs: 'four'}}}, {}];
    storage.notify(undefined, [{pets: {fido: {legs: 'four'}}}, {}, 1]);
    await settle();
    expect(store.getCell('pets', 'fido', 'legs')).toBe(4);
    store.finishTransaction();
    await until(() => rejectedOf(errors).length === 1, 'the report');
    await persister.save();
    expect(store.getRow('pets', 'fido')).toEqual({species: 'cat'});
    expect(storage.data).toEqual([{pets: {fido: {species: 'cat', legs: 'four'}}}, {}]);
    expect(rejectedOf(errors).length).toBe(1);
    await persister.destroy();
  });

  it('a schema set inside a user transaction while a load waits for it: kept, reported once', async () => {
    const storage = instant([{pets: {fido: {species: 'dog', legs: 'four'}}}, {}]);
    const errors: unknown[] = [];
    const store = createStore();
    const persister = storage.createPersister(store, (error) => errors.push(error));
    await persister.startAutoPersisting();
    store.startTransaction();
    void persister.load();
    store.setTablesSchema(LEGS);
    await settle();
    store.finishTransaction();
    store.setCell('pets', 'fido', 'species', 'cat');
    await persister.save();
    await settle();
    expect(store.getTables()).toEqual({pets: {fido: {species: 'cat'}}});
    expect(storage.data).toEqual([{pets: {fido: {species: 'cat', legs: 'four'}}}, {}]);
    expect(rejectedOf(errors).length).toBe(1);
    await persister.destroy();
  });
});

describe('two versions on one row storage (createIncrementalPersister)', () => {
  // IncrementalStorage's documentation: storage that several writers share must say
  // "conflict" when another writer wrote since this one last read or wrote. Each app
  // gets its own view of one row storage that does so (a write counter).
  const sharedBy = (rows: ReturnType<typeof rowStorage>) => {
    let writes = 0;
    return () => {
      let seen = -1;
      const guard =
        <A extends unknown[]>(write: (...args: A) => Promise<void>) =>
        async (...args: A) => {
          if (seen !== writes) throw new PersisterConflictError();
          await write(...args);
          seen = ++writes;
        };
      const {storage} = rows;
      return {
        ...storage,
        getPersisted: async () => {
          seen = writes;
          return storage.getPersisted();
        },
        putRows: guard(storage.putRows),
        delRows: guard(storage.delRows),
        delTable: guard(storage.delTable),
        putValues: guard(storage.putValues),
        delValues: guard(storage.delValues),
        clear: guard(storage.clear),
        replaceAll: guard(storage.replaceAll as (content: PersistedContent) => Promise<void>),
      };
    };
  };
  const twoApps = async () => {
    const rows = rowStorage([{pets: {fido: {kind: 'dog'}}}, {}, {version: 1}]);
    const viewOf = sharedBy(rows);
    const oldStore = createStore();
    const oldApp = createIncrementalPersister(oldStore, viewOf(), () => {}, {version: 1});
    await oldApp.load();
    const newApp = createIncrementalPersister(createStore(), viewOf(), () => {}, {
      version: 2,
      migrate: ([tables, values]) => [{animals: tables.pets}, values],
    });
    await newApp.load();
    await newApp.save();
    expect(rows.read()).toEqual([{animals: {fido: {kind: 'dog'}}}, {}, {version: 2}]);
    rows.calls.length = 0;
    return {rows, oldStore, oldApp, newApp};
  };

  it('an old app’s autosave (incremental) never lands in data a newer app migrated', async () => {
    const {rows, oldStore, oldApp, newApp} = await twoApps();
    await oldApp.startAutoSave();
    oldStore.setCell('pets', 'rex', 'kind', 'cat');
    await settle();
    expect(rows.calls).toEqual([]);
    expect(rows.read()).toEqual([{animals: {fido: {kind: 'dog'}}}, {}, {version: 2}]);
    await oldApp.destroy();
    await newApp.destroy();
  });

  it('an old app’s save() (full) never replaces data a newer app migrated', async () => {
    const {rows, oldStore, oldApp, newApp} = await twoApps();
    oldStore.setCell('pets', 'rex', 'kind', 'cat');
    await oldApp.save();
    expect(rows.calls).toEqual([]);
    expect(rows.read()).toEqual([{animals: {fido: {kind: 'dog'}}}, {}, {version: 2}]);
    await oldApp.destroy();
    await newApp.destroy();
  });
});

describe('documented: deleting the last cell the store holds in a row drops the row’s kept cells', () => {
  it('delCell of the last accepted cell deletes the refused cells of that row from storage', async () => {
    const storage = instant([{pets: {fido: {species: 'dog', legs: 'four'}}}, {}]);
    const store = createStore().setTablesSchema(LEGS);
    const persister = storage.createPersister(store, () => {});
    await persister.startAutoPersisting();
    store.delCell('pets', 'fido', 'species');
    await persister.save();
    // README: "deleting its row (or the row's last cell: a row without cells does not exist)".
    expect(storage.data).toEqual([{}, {}]);
    expect(persister.getRejected()).toEqual([{}, {}]);
    await persister.destroy();
  });
});

describe('a migration runs once and its result is saved with the new version', () => {
  const renameKind = (counter: {calls: number}) => ({
    version: 2,
    migrate: ([tables, values]: Content): Content => {
      counter.calls++;
      const pets: Content[0][string] = {};
      for (const [rowId, {kind, ...rest}] of Object.entries(tables.pets ?? {}))
        pets[rowId] = kind === undefined ? rest : {...rest, species: kind};
      return [{...tables, pets}, values];
    },
  });

  it('called as users call it (no awaits, an edit at once), with every write heard back', async () => {
    const storage = jsonStorage([{pets: {fido: {kind: 'dog'}}}, {}]);
    const counter = {calls: 0};
    const store = createStore();
    const errors: unknown[] = [];
    const persister = storage.create(store, (error) => errors.push(error), renameKind(counter));
    void persister.startAutoLoad();
    void persister.startAutoSave();
    store.setCell('pets', 'rex', 'species', 'cat');
    await until(() => storage.raw()?.includes('rex') ?? false, 'the edit saved');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(storage.read()).toEqual([
      {pets: {fido: {species: 'dog'}, rex: {species: 'cat'}}},
      {},
      {version: 2},
    ]);
    expect(store.getTables()).toEqual({pets: {fido: {species: 'dog'}, rex: {species: 'cat'}}});
    expect(counter.calls).toBe(1);
    expect(errors).toEqual([]);
    await persister.destroy();
  });

  it('two tabs of the new version on one storage: each migrates at most once, both edits kept', async () => {
    const storage = jsonStorage([{pets: {fido: {kind: 'dog'}}}, {}]);
    const counters = [{calls: 0}, {calls: 0}];
    const stores = [createStore(), createStore()];
    const persisters = stores.map((store, i) =>
      storage.create(store, () => {}, renameKind(counters[i])),
    );
    for (const persister of persisters) void persister.startAutoPersisting();
    stores[0].setCell('pets', 'a', 'species', 'cat');
    stores[1].setCell('pets', 'b', 'species', 'cow');
    const expected = [
      {pets: {fido: {species: 'dog'}, a: {species: 'cat'}, b: {species: 'cow'}}},
      {},
      {version: 2},
    ];
    await until(
      () => (storage.raw()?.includes('"a"') && storage.raw()?.includes('"b"')) ?? false,
      'both edits',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(storage.read()).toEqual(expected);
    for (const store of stores) expect(store.getContent()).toEqual([expected[0], {}]);
    expect(counters.map((counter) => counter.calls <= 1)).toEqual([true, true]);
    for (const persister of persisters) await persister.destroy();
  });
});

describe('deleting one row never deletes another row’s kept cells', () => {
  it('delRow of the last row the store holds in a table keeps the refused rows beside it', async () => {
    const storage = instant([{pets: {fido: {species: 'dog'}, rex: {legs: 'three'}}}, {}]);
    const store = createStore().setTablesSchema(LEGS);
    const persister = storage.createPersister(store, () => {});
    await persister.startAutoPersisting();
    expect(store.getTables()).toEqual({pets: {fido: {species: 'dog'}}});
    // The user deletes fido, and only fido.
    store.delRow('pets', 'fido');
    await persister.save();
    expect(storage.data).toEqual([{pets: {rex: {legs: 'three'}}}, {}]);
    expect(persister.getRejected()).toEqual([{pets: {rex: {legs: 'three'}}}, {}]);
    await persister.destroy();
  });

  it('same with createIncrementalPersister', async () => {
    const rows = rowStorage([{pets: {fido: {species: 'dog'}, rex: {legs: 'three'}}}, {}]);
    const store = createStore().setTablesSchema(LEGS);
    const persister = createIncrementalPersister(store, rows.storage, () => {});
    await persister.startAutoPersisting();
    store.delRow('pets', 'fido');
    await persister.save();
    await settle();
    expect(rows.read()).toEqual([{pets: {rex: {legs: 'three'}}}, {}]);
    await persister.destroy();
  });
});
