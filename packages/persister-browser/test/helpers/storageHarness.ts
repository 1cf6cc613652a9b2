// The contract harness for the Web Storage persisters (run under happy-dom).

import type {OnIgnoredError, Persister} from '@x/persister';
import type {ContractHarness} from '@x/persister/contract';
import type {Content, Store} from '@x/store';
import {writeFromOtherTab} from './otherTab';

let storageCount = 0;

export const createStorageHarness = (
  name: string,
  getStorage: () => Storage,
  createPersister: (
    store: Store,
    storageName: string,
    onIgnoredError?: OnIgnoredError,
  ) => Persister,
): ContractHarness => ({
  name,
  autoLoadTimeoutMs: 1000,
  // A 'storage' event reaches only other windows, and happy-dom runs one: two
  // persisters here cannot hear each other. Cross-tab sync is proven by
  // test/storageEvents.test.ts (events as another tab sends them) and, in real
  // Chromium with two tabs, by apps/todo-web.
  persistersHearEachOther: false,
  createStorage: async () => {
    const storage = getStorage();
    const storageName = `contract-${++storageCount}`;
    return {
      createPersister: (store, onIgnoredError) =>
        createPersister(store, storageName, onIgnoredError),
      read: async () => {
        const json = storage.getItem(storageName);
        return json === null ? undefined : (JSON.parse(json) as Content);
      },
      write: async (content) => writeFromOtherTab(storage, storageName, JSON.stringify(content)),
      writeCorrupt: async () => {
        const corrupt = '[{"pets":{"fido":';
        writeFromOtherTab(storage, storageName, corrupt);
        return corrupt;
      },
      readRaw: async () => storage.getItem(storageName),
      destroy: async () => storage.removeItem(storageName),
    };
  },
});
