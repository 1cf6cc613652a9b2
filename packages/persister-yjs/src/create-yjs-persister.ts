// createYjsPersister: a thin backend over the persister core. The core owns the
// queue, coalescing, retries, echo handling and validation; this file only
// reads, writes and listens to the Y.Doc.

import type {OnIgnoredError, Persister, PersisterListener} from '@x/persister';
import {createCustomPersister, createErrorReporter} from '@x/persister';
import type {Changes, Content, Store} from '@x/store';
import type * as Y from 'yjs';
import {getRootMap, readContent, YjsLayoutError} from './layout';
import {hasChanges, readEvents} from './read-events';
import {tinybaseMapWarning} from './tinybase-map';
import {checkChangesTarget, writeChanges} from './write-changes';
import {writeContent} from './write-content';

/** A persister that keeps a store in a Y.Doc. */
export type YjsPersister = Persister & {
  /** The Y.Doc this persister reads and writes. */
  getYDoc(): Y.Doc;
};

type DeepObserver = (
  events: Y.YEvent<Y.AbstractType<unknown>>[],
  transaction: Y.Transaction,
) => void;

/**
 * Creates a persister that keeps `store` in `yDoc`, under
 * `yDoc.getMap(yMapName)`: `t` holds Y.Map tableId → Y.Map rowId → Y.Map
 * cellId → cell, `v` holds Y.Map valueId → value. Saves write only what
 * changed, in one `yDoc.transact` whose origin is the persister; autoload turns
 * other transactions into store changes of only the touched cells.
 *
 * @param store The store to persist.
 * @param yDoc The Yjs document (sync it with any Yjs provider).
 * @param yMapName The name of the root Y.Map; `'store'` by default.
 * @param onIgnoredError Receives errors (a doc not in the layout, say); `console.error` if omitted.
 * @returns The persister, with `getYDoc()`.
 * @example
 * ```ts
 * import {createStore} from '@x/store';
 * import {createYjsPersister} from '@x/persister-yjs';
 * import * as Y from 'yjs';
 *
 * const doc = new Y.Doc();
 * const persister = createYjsPersister(createStore().setCell('pets', 'fido', 'species', 'dog'), doc);
 * await persister.save();
 * console.log(doc.getMap('store').toJSON());
 * // -> {t: {pets: {fido: {species: 'dog'}}}, v: {}}
 * ```
 */
export const createYjsPersister = (
  store: Store,
  yDoc: Y.Doc,
  yMapName = 'store',
  onIgnoredError?: OnIgnoredError,
): YjsPersister => {
  // The origin of this persister's own transactions; set once the persister exists.
  let origin: object = {};
  const getRoot = () => getRootMap(yDoc, yMapName);

  const report = createErrorReporter(onIgnoredError);
  let warnedOfTinyBaseMap = false;
  const getPersisted = async (): Promise<Content | undefined> => {
    const content = readContent(getRoot(), yMapName);
    if (content === undefined && !warnedOfTinyBaseMap) {
      // Once per persister: the data is probably under TinyBase's default map name.
      const warning = tinybaseMapWarning(yDoc, yMapName);
      if (warning) {
        warnedOfTinyBaseMap = true;
        report(warning);
      }
    }
    return content;
  };

  const setPersisted = async (getContent: () => Content, changes?: Changes): Promise<void> => {
    const root = getRoot();
    if (changes === undefined) {
      // A full save replaces whatever is off the layout. The core asks for one
      // over unreadable data only after a user's change or an explicit save().
      const content = getContent();
      yDoc.transact(() => writeContent(root, content), origin);
    } else {
      checkChangesTarget(root, yMapName, changes);
      yDoc.transact(() => writeChanges(root, changes), origin);
    }
  };

  const addPersisterListener = (listener: PersisterListener): DeepObserver => {
    const root = getRoot();
    // Remote changes the core queues behind one of its own saves are stale once
    // that save lands; the core re-reads the doc then, so they are passed on as heard.
    const observer: DeepObserver = (events, transaction) => {
      if (transaction.origin === origin) {
        return;
      }
      let remote: ReturnType<typeof readEvents>;
      try {
        remote = readEvents(events, root, yMapName);
      } catch (error) {
        if (error instanceof YjsLayoutError) {
          // Let the core re-read: getPersisted throws the same error, which the
          // core reports, leaving the store as it was.
          listener();
          return;
        }
        throw error;
      }
      if (hasChanges(remote.changes)) {
        listener(undefined, remote.changes);
      }
      const mergeBack = remote.mergeBack;
      if (mergeBack !== undefined) {
        // What this store held in a map that lost a concurrent creation goes
        // back into the winning map, so that no side's writes are dropped.
        yDoc.transact(() => writeChanges(root, mergeBack), origin);
      }
    };
    root.observeDeep(observer);
    return observer;
  };

  const delPersisterListener = (observer: DeepObserver): void => {
    getRoot().unobserveDeep(observer);
  };

  const persister = createCustomPersister(
    store,
    getPersisted,
    setPersisted,
    addPersisterListener,
    delPersisterListener,
    onIgnoredError,
  );
  origin = persister;
  return Object.assign(persister, {getYDoc: () => yDoc});
};
