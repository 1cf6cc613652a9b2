// createYjsPersister: a thin backend over the persister core. The core owns the
// queue, coalescing, retries, echo handling and validation; this file only
// reads, writes and listens to the Y.Doc.

import type {
  OnIgnoredError,
  PersistedContent,
  Persister,
  PersisterListener,
  PersisterOptions,
} from '@x/persister';
import {
  createCustomPersister,
  createErrorReporter,
  PersisterConflictError,
  versionOf,
} from '@x/persister';
import type {Changes, Store} from '@x/store';
import type * as Y from 'yjs';
import {getRootMap, readContent, storedVersionOf, VERSION_KEY, YjsLayoutError} from './layout';
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
 * cellId → cell, `v` holds Y.Map valueId → value, and `version` the version of
 * the data's shape when `options.version` is above 0. Saves write only what
 * changed, in one `yDoc.transact` whose origin is the persister; autoload turns
 * other transactions into store changes of only the touched cells.
 *
 * With `options.version`, a doc of an older version is migrated on load (by
 * `options.migrate`) and written whole with the new version; a doc of a newer
 * version is reported (`PersisterVersionError`), never loaded, and never written
 * to: once this persister has seen the newer version, none of its writes reach the doc.
 *
 * @param store The store to persist.
 * @param yDoc The Yjs document (sync it with any Yjs provider).
 * @param yMapName The name of the root Y.Map; `'store'` by default.
 * @param onIgnoredError Receives errors (a doc not in the layout, say); `console.error` if omitted.
 * @param options The core's options: `version` and `migrate`, `saveDelayMs`, `retry`...
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
 * @example
 * ```ts
 * // Version 2 calls `legs` `legCount`; docs of version 0 or 1 are migrated on load.
 * const persister = createYjsPersister(store, doc, 'store', console.error, {
 *   version: 2,
 *   // renameCell: the app's own helper, (tables, tableId, from, to) => tables
 *   migrate: ([tables, values]) => [renameCell(tables, 'pets', 'legs', 'legCount'), values],
 * });
 * await persister.startAutoPersisting();
 * console.log(doc.getMap('store').get('version')); // -> 2
 * ```
 */
export const createYjsPersister = (
  store: Store,
  yDoc: Y.Doc,
  yMapName = 'store',
  onIgnoredError?: OnIgnoredError,
  options?: PersisterOptions,
): YjsPersister => {
  // The origin of this persister's own transactions; set once the persister exists.
  let origin: object = {};
  const getRoot = () => getRootMap(yDoc, yMapName);
  // The doc's version when this persister last read or wrote it (`undefined`: never
  // read, or the last read failed). A write goes out only onto that version, so that
  // cells of one shape never land on data of another (a migration by another doc).
  let lastKnownVersion: number | undefined;

  const report = createErrorReporter(onIgnoredError);
  let warnedOfTinyBaseMap = false;
  const getPersisted = async (): Promise<PersistedContent | undefined> => {
    lastKnownVersion = undefined;
    const content = readContent(getRoot(), yMapName);
    lastKnownVersion = content ? versionOf(content) : 0;
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

  const setPersisted = async (
    getContent: () => PersistedContent,
    changes?: Changes,
  ): Promise<void> => {
    const root = getRoot();
    const stored = storedVersionOf(root);
    if (changes === undefined) {
      // A full save replaces whatever is off the layout. The core asks for one
      // over unreadable data only for save({overwrite: true}).
      // Never onto a version that changed since this persister read or wrote it (a
      // migration by another doc). Over another version, a full save is the core's
      // call: its own migration, or `save({overwrite: true})`.
      if (lastKnownVersion !== undefined && stored !== lastKnownVersion)
        throw new PersisterConflictError();
      const content = getContent();
      yDoc.transact(() => writeContent(root, content), origin);
      lastKnownVersion = versionOf(content);
    } else {
      // Changes go only onto the version last read or written (which versions may meet
      // is the core's call; another doc's migration since then is a conflict).
      if (stored !== lastKnownVersion) throw new PersisterConflictError();
      checkChangesTarget(root, yMapName, changes);
      yDoc.transact(() => writeChanges(root, changes), origin);
    }
  };

  /** True when the transaction of `events` changed the root's `version` key. */
  const changesVersion = (events: Y.YEvent<Y.AbstractType<unknown>>[], root: Y.Map<unknown>) =>
    events.some((event) => event.target === root && event.changes.keys.has(VERSION_KEY));

  const addPersisterListener = (listener: PersisterListener): DeepObserver => {
    const root = getRoot();
    // Remote changes the core queues behind one of its own saves are stale once
    // that save lands; the core re-reads the doc then, so they are passed on as heard.
    const observer: DeepObserver = (events, transaction) => {
      if (transaction.origin === origin) {
        return;
      }
      if (
        changesVersion(events, root) ||
        (lastKnownVersion !== undefined && storedVersionOf(root) !== lastKnownVersion)
      ) {
        // Another doc changed the version (a migration, say), or the doc is not at the
        // version last read: its cells are of another shape, so the core re-reads.
        listener();
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
    options,
  );
  origin = persister;
  return Object.assign(persister, {getYDoc: () => yDoc});
};
