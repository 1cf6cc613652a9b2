// The shared persister contract, run against the reference server.
import {runPersisterContract} from '@x/persister/contract';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {createRemotePersister} from '../src/index';
import {FAST_RETRY, readRemote, startReferenceServer, writeRemote} from './helpers';

let documents = 0;

runPersisterContract(
  {
    name: 'remote (reference server)',
    autoLoadTimeoutMs: 3_000,
    createStorage: async () => {
      const server = await startReferenceServer();
      const url = `${server.url}/stores/contract-${++documents}`;
      return {
        createPersister: (store, onIgnoredError) =>
          createRemotePersister(store, url, url, 0.05, onIgnoredError, FAST_RETRY),
        read: () => readRemote(url),
        write: (content) => writeRemote(url, content),
        destroy: () => server.close(),
      };
    },
  },
  {describe, it, expect, beforeEach, afterEach},
);
