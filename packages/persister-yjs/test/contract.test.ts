import {type ContractHarness, runPersisterContract} from '@x/persister/contract';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import * as Y from 'yjs';
import {createYjsPersister} from '../src';
import {docContent, linkDocs, writeAsOther} from './helpers';

// The persister works on one doc; "another writer" is a second doc that
// exchanges updates with it, as a peer behind a provider would.
const harness: ContractHarness = {
  name: 'yjs',
  autoLoadTimeoutMs: 2000,
  async createStorage() {
    const doc = new Y.Doc();
    const other = new Y.Doc();
    const unlink = linkDocs(doc, other);
    const rawOf = () => JSON.stringify(other.getMap('store').toJSON());
    return {
      createPersister: (store, onIgnoredError) =>
        createYjsPersister(store, doc, 'store', onIgnoredError),
      // Two writers: the second persister works on the other doc of the pair.
      createSecondPersister: (store, onIgnoredError) =>
        createYjsPersister(store, other, 'store', onIgnoredError),
      read: async () => docContent(other),
      write: async (content) => writeAsOther(other, content),
      writeCorrupt: async () => {
        other.transact(() => {
          other.getMap('store').set('t', 'not a map of tables');
          other.getMap('store').set('v', new Y.Map());
        });
        return rawOf();
      },
      readRaw: async () => rawOf(),
      destroy: async () => {
        unlink();
        doc.destroy();
        other.destroy();
      },
    };
  },
};

runPersisterContract(harness, {describe, it, expect, beforeEach, afterEach});
