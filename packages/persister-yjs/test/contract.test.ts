import {type ContractHarness, runPersisterContract} from '@x/persister/contract';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import * as Y from 'yjs';
import {createYjsPersister} from '../src';
import {docContent, linkDocs, writeAsOther} from './helpers';

/** Links two docs so that every update of one reaches the other on a later timer turn. */
const linkDocsLater = (a: Y.Doc, b: Y.Doc): (() => void) => {
  const relay = (to: Y.Doc, from: Y.Doc) => (update: Uint8Array, origin: unknown) => {
    if (origin !== to) setTimeout(() => Y.applyUpdate(to, update, from), 0);
  };
  const toB = relay(b, a);
  const toA = relay(a, b);
  a.on('update', toB);
  b.on('update', toA);
  return () => {
    a.off('update', toB);
    b.off('update', toA);
  };
};

// The persister works on one doc; "another writer" is a second doc that
// exchanges updates with it, as a peer behind a provider would.
const harness: ContractHarness = {
  name: 'yjs',
  autoLoadTimeoutMs: 2000,
  // What a doc writes before another doc's update arrives is merged, not refused
  // (README, "What a CRDT cannot refuse").
  mergesConcurrentWrites: true,
  async createStorage() {
    const doc = new Y.Doc();
    const other = new Y.Doc();
    const unlink = linkDocs(doc, other);
    const unlinks: (() => void)[] = [];
    const rawOf = () => JSON.stringify(other.getMap('store').toJSON());
    return {
      createPersister: (store, onIgnoredError, options) =>
        createYjsPersister(store, doc, 'store', onIgnoredError, options),
      // Two writers: the second persister works on a third doc that exchanges
      // updates with the first asynchronously, as a provider would.
      createSecondPersister: (store, onIgnoredError, options) => {
        const third = new Y.Doc();
        Y.applyUpdate(third, Y.encodeStateAsUpdate(doc));
        unlinks.push(linkDocsLater(doc, third), () => third.destroy());
        return createYjsPersister(store, third, 'store', onIgnoredError, options);
      },
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
        for (const undo of unlinks) undo();
        doc.destroy();
        other.destroy();
      },
    };
  },
};

runPersisterContract(harness, {describe, it, expect, beforeEach, afterEach});
