// The contract harness for the Web Storage persisters (run under happy-dom):
// persisters live in tabs of one browser sharing the storage area (see tabs.ts),
// so that two of them hear each other as two real tabs do.

import type {PersistedContent} from '@x/persister';
import type {ContractHarness} from '@x/persister/contract';
import {createStoragePersister} from '../../src/storagePersister';
import {createTabs} from './tabs';

let storageCount = 0;

export const createStorageHarness = (name: string, getStorage: () => Storage): ContractHarness => ({
  name,
  autoLoadTimeoutMs: 1000,
  createStorage: async () => {
    const area = getStorage();
    const storageName = `contract-${++storageCount}`;
    // The test's own tab, a second tab, and a third one for "another writer".
    const {
      tabs: [first, second, other],
      close,
    } = createTabs(area, 3);
    if (!first || !second || !other) throw new Error('three tabs expected');
    return {
      createPersister: (store, onIgnoredError, options) =>
        createStoragePersister(
          store,
          storageName,
          first.storage,
          onIgnoredError,
          first.window,
          options,
        ),
      createSecondPersister: (store, onIgnoredError, options) =>
        createStoragePersister(
          store,
          storageName,
          second.storage,
          onIgnoredError,
          second.window,
          options,
        ),
      // The stored JSON as it is: `[tables, values]`, or `[tables, values, {version}]`.
      read: async () => {
        const json = area.getItem(storageName);
        return json === null ? undefined : (JSON.parse(json) as PersistedContent);
      },
      write: async (content) => other.storage.setItem(storageName, JSON.stringify(content)),
      writeCorrupt: async () => {
        const corrupt = '[{"pets":{"fido":';
        other.storage.setItem(storageName, corrupt);
        return corrupt;
      },
      readRaw: async () => area.getItem(storageName),
      destroy: async () => {
        area.removeItem(storageName);
        close();
      },
    };
  },
});
