// The contract harness for the IndexedDB persister (fake-indexeddb in Node).
import type {ContractHarness} from '@x/persister/contract';
import {createStore} from '@x/store';
import {createIndexedDbPersister} from '../../src';
import {deleteRaw, dumpRaw, putRaw, readRaw} from './rawIdb';

let dbCount = 0;

export const idbHarness: ContractHarness = {
  name: 'IndexedDB',
  autoLoadTimeoutMs: 1000,
  createStorage: async () => {
    const dbName = `contract-${++dbCount}-${Date.now()}`;
    return {
      createPersister: (store, onIgnoredError, options) =>
        createIndexedDbPersister(store, dbName, onIgnoredError, options),
      read: () => readRaw(dbName),
      // Another tab: its own store and persister on the same database, which
      // writes and then tells this tab through the BroadcastChannel. Versioned
      // content is written by a tab of that version.
      write: async ([tables, values, meta]) => {
        const otherTab = createIndexedDbPersister(
          createStore().setContent([tables, values]),
          dbName,
          undefined,
          {version: meta?.version ?? 0},
        );
        await otherTab.save({overwrite: true});
        await otherTab.destroy();
      },
      // A row that is not a row (a nested object as a cell) cannot be loaded.
      writeCorrupt: async () => {
        await putRaw(dbName, 'meta', 'persisted', 1);
        // A row that is not an object (JSON objects are valid cells).
        await putRaw(dbName, 'rows', ['pets', 'fido'], ['dog']);
        return dumpRaw(dbName);
      },
      readRaw: () => dumpRaw(dbName),
      destroy: () => deleteRaw(dbName),
    };
  },
};
