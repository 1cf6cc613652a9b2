// Two in-memory storages for the contract suite: one JSON string behind
// createCustomPersister, and rows in a Map behind createIncrementalPersister.
// Both notify their listeners asynchronously, as real storage does.
import type {Row, Store, Values} from '@x/store';
import type {
  OnIgnoredError,
  PersistedContent,
  PersisterListener,
  PersisterOptions,
} from '../../src';
import {createCustomPersister, createIncrementalPersister, PersisterConflictError} from '../../src';
import type {ContractHarness} from '../../src/contract';

const notifyLater = (listeners: Set<PersisterListener>) => {
  setTimeout(() => {
    for (const listener of listeners) listener();
  }, 1);
};

export const jsonStringHarness: ContractHarness = {
  name: 'in-memory JSON string (createCustomPersister)',
  autoLoadTimeoutMs: 1000,
  createStorage: async () => {
    let json: string | undefined;
    // +1 per write: a save compares it with the one its persister last read or
    // wrote (compare-and-set), so two writers never overwrite each other.
    let version = 0;
    const listeners = new Set<PersisterListener>();
    return {
      createPersister: (
        store: Store,
        onIgnoredError?: OnIgnoredError,
        options?: PersisterOptions,
      ) => {
        let known: number | undefined;
        return createCustomPersister(
          store,
          async () => {
            known = version;
            return json === undefined ? undefined : JSON.parse(json);
          },
          async (getContent) => {
            if (known !== undefined && known !== version) throw new PersisterConflictError();
            json = JSON.stringify(getContent());
            known = ++version;
            // Like a file watcher: every listener hears every write, the writer's own too.
            notifyLater(listeners);
          },
          (listener) => {
            listeners.add(listener);
            return listener;
          },
          (listener) => {
            listeners.delete(listener);
          },
          onIgnoredError,
          options,
        );
      },
      read: async () => (json === undefined ? undefined : JSON.parse(json)),
      write: async (content: PersistedContent) => {
        json = JSON.stringify(content);
        version++;
        notifyLater(listeners);
      },
      writeCorrupt: async () => {
        json = '[{"pets": {"fido": ';
        version++;
        notifyLater(listeners);
        return json;
      },
      readRaw: async () => json,
      destroy: async () => listeners.clear(),
    };
  },
};

export const rowMapHarness: ContractHarness = {
  name: 'in-memory rows (createIncrementalPersister)',
  autoLoadTimeoutMs: 1000,
  // Whole-row puts with no version check: two writers can lose each other's
  // cells of one row here, so the two-writer cases are not run.
  twoWriterRounds: 0,
  createStorage: async () => {
    // `table\0row` -> row JSON, `value` -> value JSON; undefined until first written.
    let rows: Map<string, string> | undefined;
    let values: Map<string, string> | undefined;
    // The content version, written by replaceAll (0: none).
    let contentVersion = 0;
    const listeners = new Set<PersisterListener>();
    // Every write goes through here: like a BroadcastChannel, every listener hears about it.
    const ensure = () => {
      rows ??= new Map();
      values ??= new Map();
      notifyLater(listeners);
      return {rows, values};
    };
    const read = async (): Promise<PersistedContent | undefined> => {
      if (!rows || !values) return undefined;
      const tables: {[tableId: string]: {[rowId: string]: Row}} = {};
      for (const [key, row] of rows) {
        const [tableId, rowId] = key.split('\0');
        if (!Object.hasOwn(tables, tableId))
          Object.defineProperty(tables, tableId, {value: {}, enumerable: true});
        Object.defineProperty(tables[tableId], rowId, {value: JSON.parse(row), enumerable: true});
      }
      const valuesOut: Values = {};
      for (const [valueId, value] of values) {
        Object.defineProperty(valuesOut, valueId, {value: JSON.parse(value), enumerable: true});
      }
      return contentVersion ? [tables, valuesOut, {version: contentVersion}] : [tables, valuesOut];
    };
    const replace = ([tables, newValues, meta]: PersistedContent) => {
      rows = new Map();
      values = new Map();
      contentVersion = meta?.version ?? 0;
      for (const [tableId, table] of Object.entries(tables)) {
        for (const [rowId, row] of Object.entries(table))
          rows.set(`${tableId}\0${rowId}`, JSON.stringify(row));
      }
      for (const [valueId, value] of Object.entries(newValues))
        values.set(valueId, JSON.stringify(value));
      notifyLater(listeners);
    };
    return {
      createPersister: (
        store: Store,
        onIgnoredError?: OnIgnoredError,
        options?: PersisterOptions,
      ) =>
        createIncrementalPersister(
          store,
          {
            getPersisted: read,
            putRows: async (tableId, newRows) => {
              for (const [rowId, row] of Object.entries(newRows)) {
                ensure().rows.set(`${tableId}\0${rowId}`, JSON.stringify(row));
              }
            },
            delRows: async (tableId, rowIds) => {
              for (const rowId of rowIds) ensure().rows.delete(`${tableId}\0${rowId}`);
            },
            delTable: async (tableId) => {
              for (const key of [...ensure().rows.keys()]) {
                if (key.startsWith(`${tableId}\0`)) ensure().rows.delete(key);
              }
            },
            putValues: async (newValues) => {
              for (const [valueId, value] of Object.entries(newValues)) {
                ensure().values.set(valueId, JSON.stringify(value));
              }
            },
            delValues: async (valueIds) => {
              for (const valueId of valueIds) ensure().values.delete(valueId);
            },
            clear: async () => {
              ensure().rows.clear();
              ensure().values.clear();
            },
            replaceAll: async (content) => replace(content),
            addPersisterListener: (listener) => {
              listeners.add(listener);
              return listener;
            },
            delPersisterListener: (listener) => {
              listeners.delete(listener);
            },
          },
          onIgnoredError,
          options,
        ),
      read,
      write: async (content: PersistedContent) => replace(content),
      writeCorrupt: async () => {
        ensure().rows.set('pets\0fido', '"not a row"');
        notifyLater(listeners);
        return [...ensure().rows];
      },
      readRaw: async () => (rows ? [...rows] : undefined),
      destroy: async () => listeners.clear(),
    };
  },
};
