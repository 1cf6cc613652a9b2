// The shared persister contract, run against the reference server on both of
// its stores: files, and PostgreSQL (a private cluster started by this file).
import {runPersisterContract} from '@x/persister/contract';
import {startPrivatePostgres} from 'remote-server/testing';
import {afterAll, afterEach, beforeEach, describe, expect, it} from 'vitest';
import {createRemotePersister} from '../src/index';
import {FAST_RETRY, readRemote, startReferenceServer, writeRemote} from './helpers';

let documents = 0;
const postgres = await startPrivatePostgres();
afterAll(() => postgres.destroy());

for (const [name, options] of [
  ['files', {}],
  ['postgres', {databaseUrl: postgres.url}],
] as const) {
  runPersisterContract(
    {
      name: `remote (reference server, ${name})`,
      autoLoadTimeoutMs: 3_000,
      createStorage: async () => {
        const server = await startReferenceServer(options);
        const url = `${server.url}/stores/contract-${++documents}`;
        return {
          // The core's options (`version`, `migrate`) go through, after the HTTP ones.
          createPersister: (store, onIgnoredError, persisterOptions) =>
            createRemotePersister(store, url, url, 0.05, onIgnoredError, {
              ...FAST_RETRY,
              ...persisterOptions,
            }),
          // Another client of the same server: its own connection and change stream.
          createSecondPersister: (store, onIgnoredError, persisterOptions) =>
            createRemotePersister(store, url, url, 0.05, onIgnoredError, {
              ...FAST_RETRY,
              ...persisterOptions,
            }),
          read: () => readRemote(url),
          write: (content) => writeRemote(url, content),
          destroy: () => server.close(),
        };
      },
    },
    {describe, it, expect, beforeEach, afterEach},
  );
}
