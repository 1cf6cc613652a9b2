// The storage of the IndexedDB persister: one record per row and per value,
// and a version number that every save's transaction increments. Each save is
// one readwrite transaction (all or nothing, also when the tab closes):
// - an incremental save reads each changed row, merges the changed cells into
//   it and writes it back, so two tabs editing different cells of a row both
//   keep their edits (when no other tab wrote since this one last read or
//   wrote, storage holds the store's rows but for the changes: no read needed);
// - a full save replaces everything, unless another tab wrote since this one
//   last read: that is a PersisterConflictError (the core reloads, puts local
//   changes back on top and saves again). So is a full save over data the last
//   read could not take as content: it is never replaced by a save.
// The version of the content's shape (the persister's `version` option) is kept
// in META under its own key, written by full saves only. An incremental save
// checks in its transaction that it is still the version this tab last read or
// wrote, else it is a conflict: an older tab never merges cells into data a
// newer tab migrated (its re-read then finds the newer version, and the core
// blocks it).
// After the commit, other tabs are told through a BroadcastChannel.
import {
  createErrorReporter,
  type OnIgnoredError,
  type PersistedContent,
  PersisterConflictError,
  type PersisterListener,
  persistedRow,
  validateContent,
} from '@x/persister';
import type {Changes, Content, Row, Store, Table, Tables, Value, Values} from '@x/store';
import {setOwn} from '../setOwn';
import {channelName, type IdbMessage, readMessage} from './broadcast';
import {META, openDb, ROWS, VALUES} from './openDb';

/** META key of the marker that says a save has happened (an empty store is still "saved"). */
const PERSISTED = 'persisted';
/** META key of the database version: +1 per save. Absent: 0. */
const VERSION = 'version';
/** META key of the version of the content's shape (the `version` option). Absent: 0. */
const CONTENT_VERSION = 'contentVersion';
/**
 * Versioned content also puts this row: releases from before versions refuse a row
 * key whose first element is not a string ("unexpected key"), so they can never
 * mistake versioned rows for unversioned ones. Arrays sort after strings: no table's
 * range ever covers it.
 */
const VERSION_FENCE_KEY: IDBValidKey = [[CONTENT_VERSION], ''];
const isVersionFence = (key: IDBValidKey): boolean =>
  Array.isArray(key) && Array.isArray(key[0]) && key[0][0] === CONTENT_VERSION;

type MessageHandler = (event: MessageEvent) => void;

/** What the persister needs from the database. */
export type IdbStorage = {
  getPersisted(): Promise<PersistedContent | undefined>;
  setPersisted(getContent: () => PersistedContent, changes?: Changes): Promise<void>;
  addPersisterListener(listener: PersisterListener): MessageHandler | undefined;
  delPersisterListener(handle: MessageHandler | undefined): void;
  close(): void;
};

/** Every row key of one table: arrays sort after strings, so `[tableId, []]` bounds them. */
const tableRange = (tableId: string) => IDBKeyRange.bound([tableId], [tableId, []]);

const toContent = (
  rowKeys: IDBValidKey[],
  rows: unknown[],
  valueKeys: IDBValidKey[],
  values: unknown[],
): Content => {
  const tables: Tables = {};
  rowKeys.forEach((key, index) => {
    if (isVersionFence(key)) return;
    if (!Array.isArray(key) || key.length !== 2 || typeof key[0] !== 'string') {
      throw new TypeError(`IndexedDB holds a row under an unexpected key: ${String(key)}`);
    }
    const [tableId, rowId] = key as [string, string];
    if (!Object.hasOwn(tables, tableId)) setOwn<Table>(tables, tableId, {});
    // Handed over as stored: the core validates it (and reports what is bad).
    setOwn(tables[tableId] as Table, String(rowId), rows[index] as Row);
  });
  const contentValues: Values = {};
  valueKeys.forEach((key, index) => {
    setOwn(contentValues, String(key), values[index] as Value);
  });
  return [tables, contentValues];
};

/** The stored row with the changed cells merged in (`undefined` cells deleted). */
const mergeRow = (stored: unknown, cells: {[cellId: string]: Row[string] | undefined}) => {
  const row: Row = {};
  if (typeof stored === 'object' && stored !== null) {
    for (const cellId of Object.keys(stored)) {
      setOwn(row, cellId, (stored as Row)[cellId] as Row[string]);
    }
  }
  for (const cellId of Object.keys(cells)) {
    const cell = cells[cellId];
    if (cell === undefined) delete row[cellId];
    else setOwn(row, cellId, cell);
  }
  return row;
};

/**
 * Issues the requests of an incremental save in `transaction`. With `store`
 * (storage holds exactly what the store holds, but for the changes, and the
 * refused cells the persister keeps, `getRejected()`), each changed row is written
 * as the store has it, with its kept cells; without, each changed row is read
 * and the changed cells merged into it (kept cells stay as stored).
 */
const writeChanges = (
  transaction: IDBTransaction,
  [tables, values]: Changes,
  store: Store | undefined,
  getRejected: () => Content,
): void => {
  const rowsStore = transaction.objectStore(ROWS);
  const rejected = store && getRejected();
  for (const tableId of Object.keys(tables)) {
    const table = tables[tableId];
    if (table === undefined) {
      rowsStore.delete(tableRange(tableId));
      continue;
    }
    for (const rowId of Object.keys(table)) {
      const cells = table[rowId];
      const key = [tableId, rowId];
      if (cells === undefined) {
        rowsStore.delete(key);
        continue;
      }
      if (store) {
        // A row the store no longer has is gone here too (the core sends its cells'
        // deletions), unless refused cells of it are kept.
        const row = persistedRow(store, rejected as Content, tableId, rowId);
        if (row) rowsStore.put(row, key);
        else rowsStore.delete(key);
        continue;
      }
      const read = rowsStore.get(key);
      read.onsuccess = () => {
        const row = mergeRow(read.result, cells);
        // A row without cells does not exist.
        if (Object.keys(row).length === 0) rowsStore.delete(key);
        else rowsStore.put(row, key);
      };
    }
  }
  const valuesStore = transaction.objectStore(VALUES);
  for (const valueId of Object.keys(values)) {
    const value = values[valueId];
    if (value === undefined) valuesStore.delete(valueId);
    else valuesStore.put(value, valueId);
  }
};

/** Issues the requests of a full save in `transaction`; returns the content version it writes. */
const writeContent = (transaction: IDBTransaction, content: PersistedContent): number => {
  const [tables, values] = content;
  const contentVersion = content[2]?.version ?? 0;
  const rowsStore = transaction.objectStore(ROWS);
  const valuesStore = transaction.objectStore(VALUES);
  const metaStore = transaction.objectStore(META);
  rowsStore.clear();
  valuesStore.clear();
  metaStore.put(1, PERSISTED);
  // Version 0 is no version at all: stored exactly as before versions existed.
  if (contentVersion === 0) metaStore.delete(CONTENT_VERSION);
  else {
    metaStore.put(contentVersion, CONTENT_VERSION);
    rowsStore.put(contentVersion, VERSION_FENCE_KEY);
  }
  for (const tableId of Object.keys(tables)) {
    const table = tables[tableId] as Table;
    for (const rowId of Object.keys(table)) rowsStore.put(table[rowId], [tableId, rowId]);
  }
  for (const valueId of Object.keys(values)) valuesStore.put(values[valueId], valueId);
  return contentVersion;
};

/**
 * The storage for `dbName`; the connection opens on first use and reopens
 * after a close. `getRejected` gives the refused stored cells the persister
 * keeps (`persister.getRejected()`), which a save never removes.
 */
export const createIdbStorage = (
  store: Store,
  dbName: string,
  onIgnoredError: OnIgnoredError | undefined,
  getRejected: () => Content,
): IdbStorage => {
  const report = createErrorReporter(onIgnoredError);
  let dbPromise: Promise<IDBDatabase> | undefined;
  // One channel to send and to listen: BroadcastChannel delivers to every other
  // channel object of that name, including others in this tab, but never back
  // to the one that sent, so one object means this persister never hears itself.
  let channel: BroadcastChannel | undefined;
  const getChannel = (): BroadcastChannel | undefined => {
    if (channel === undefined && typeof BroadcastChannel !== 'undefined') {
      channel = new BroadcastChannel(channelName(dbName));
    }
    return channel;
  };

  // The database version whose every save this tab's store holds (from a read,
  // its own writes, and messages applied in order); `undefined` before the
  // first read or full save. `ownVersions`: versions this tab wrote after a
  // version it has not seen yet, skipped once that one arrives.
  let seen: number | undefined;
  const ownVersions = new Set<number>();
  // The database version the store is known to hold, besides its pending
  // changes: set by a read and by this tab's saves made on top of it. Messages
  // do not count (the core may apply them after a save). While the database is
  // still at this version, no other tab wrote: a save needs no merge, and a full
  // save replaces nothing unseen.
  let storeHolds: number | undefined;
  // The content version (META CONTENT_VERSION, 0 when absent, as stored even when
  // it is not a number) this tab last read or wrote; `undefined` before either.
  let contentVersion: unknown;
  let reading = false;
  const advance = () => {
    while (seen !== undefined && ownVersions.delete(seen + 1)) seen++;
  };

  const getDb = (): Promise<IDBDatabase> => {
    if (dbPromise === undefined) {
      const opening = openDb(dbName).then(
        (db) => {
          const forget = () => {
            if (dbPromise === opening) dbPromise = undefined;
          };
          // Let another tab upgrade or delete the database instead of blocking it.
          db.onversionchange = () => {
            db.close();
            forget();
          };
          db.onclose = forget;
          return db;
        },
        (error: unknown) => {
          dbPromise = undefined;
          throw error;
        },
      );
      dbPromise = opening;
    }
    return dbPromise;
  };

  const getPersisted = async (): Promise<PersistedContent | undefined> => {
    const db = await getDb();
    reading = true;
    try {
      return await new Promise((resolve, reject) => {
        const transaction = db.transaction([ROWS, VALUES, META], 'readonly');
        const rowsStore = transaction.objectStore(ROWS);
        const valuesStore = transaction.objectStore(VALUES);
        const metaStore = transaction.objectStore(META);
        const rowKeys = rowsStore.getAllKeys();
        const rows = rowsStore.getAll();
        const valueKeys = valuesStore.getAllKeys();
        const values = valuesStore.getAll();
        const persisted = metaStore.get(PERSISTED);
        const version = metaStore.get(VERSION);
        const storedContentVersion = metaStore.get(CONTENT_VERSION);
        transaction.oncomplete = () => {
          try {
            const isEmpty = rowKeys.result.length === 0 && valueKeys.result.length === 0;
            // Even unreadable data was seen at this version: the core writes over it
            // only when asked to (save({overwrite: true})), and a later change by
            // another tab is still a conflict.
            seen = typeof version.result === 'number' ? version.result : 0;
            storeHolds = seen;
            ownVersions.clear();
            contentVersion = storedContentVersion.result ?? 0;
            if (isEmpty && persisted.result === undefined) return resolve(undefined);
            const [tables, contentValues] = validateContent(
              toContent(rowKeys.result, rows.result, valueKeys.result, values.result),
            );
            // Anything but 0 goes to the core as it is: it checks the version.
            resolve(
              contentVersion === 0
                ? [tables, contentValues]
                : [tables, contentValues, {version: contentVersion as number}],
            );
          } catch (error) {
            reject(error);
          }
        };
        transaction.onabort = () =>
          reject(transaction.error ?? new Error(`IndexedDB "${dbName}": read aborted`));
      });
    } finally {
      reading = false;
    }
  };

  /**
   * One save in one readwrite transaction: reads the version first; a full
   * save refuses (conflict) when it is not the one the store holds.
   */
  const setPersisted = async (
    getContent: () => PersistedContent,
    changes?: Changes,
  ): Promise<void> => {
    const db = await getDb();
    let writtenContentVersion: number | undefined;
    const version = await new Promise<number>((resolve, reject) => {
      const transaction = db.transaction([ROWS, VALUES, META], 'readwrite');
      let failure: unknown;
      let version = 0;
      transaction.oncomplete = () => resolve(version);
      transaction.onabort = () =>
        reject(
          failure ?? transaction.error ?? new Error(`IndexedDB "${dbName}": transaction aborted`),
        );
      const fail = (error: unknown) => {
        failure = error;
        try {
          transaction.abort();
        } catch {
          // Already aborted: nothing of it was committed either way.
        }
      };
      const metaStore = transaction.objectStore(META);
      const readVersion = metaStore.get(VERSION);
      const readContentVersion = metaStore.get(CONTENT_VERSION);
      // Requests of one transaction succeed in order: both results are in by now.
      readContentVersion.onsuccess = () => {
        version = typeof readVersion.result === 'number' ? readVersion.result : 0;
        // A put of something IndexedDB cannot store throws (DataCloneError).
        try {
          const storedContentVersion = readContentVersion.result ?? 0;
          if (changes && storedContentVersion !== contentVersion) {
            // Another tab wrote data of another version since this one read or wrote:
            // changes made on one version never land on another (the core re-reads).
            return fail(
              new PersisterConflictError(
                `IndexedDB "${dbName}" holds content of another version than this tab last read`,
              ),
            );
          }
          // The direct path reads the store's rows and the kept cells at the same moment.
          if (changes)
            writeChanges(
              transaction,
              changes,
              version === storeHolds ? store : undefined,
              getRejected,
            );
          else if (storeHolds !== undefined && version !== storeHolds) {
            return fail(
              new PersisterConflictError(
                `IndexedDB "${dbName}" was changed by another tab since this one read it`,
              ),
            );
          } else writtenContentVersion = writeContent(transaction, getContent());
          metaStore.put(version + 1, VERSION);
        } catch (error) {
          fail(error);
        }
      };
    });
    const written = version + 1;
    if (writtenContentVersion !== undefined) contentVersion = writtenContentVersion;
    if (!changes || version === storeHolds) storeHolds = written;
    if (!changes || seen === version) seen = written;
    else if (seen !== undefined) ownVersions.add(written);
    advance();
    // Changes carry the content version they were made on (none: 0).
    const message: IdbMessage = changes
      ? contentVersion === 0
        ? {version: written, changes}
        : {version: written, changes, contentVersion: contentVersion as number}
      : {version: written};
    getChannel()?.postMessage(message);
  };

  // Without BroadcastChannel (very old browsers) other tabs are simply not heard.
  const addPersisterListener = (listener: PersisterListener): MessageHandler | undefined => {
    const onMessage = (event: MessageEvent) => {
      let message: IdbMessage;
      try {
        message = readMessage(event.data);
      } catch (error) {
        report(error);
        return;
      }
      if (seen !== undefined && message.version <= seen) return; // Already held.
      if (
        message.changes &&
        !reading &&
        message.version === (seen as number) + 1 &&
        (message.contentVersion ?? 0) === contentVersion
      ) {
        seen = message.version;
        advance();
        listener(undefined, message.changes);
        return;
      }
      // A full save, a message out of order, one that arrived during a read, or
      // changes made on content of another version than this tab holds: re-read.
      listener();
    };
    const listening = getChannel();
    listening?.addEventListener('message', onMessage);
    return listening && onMessage;
  };

  const delPersisterListener = (onMessage: MessageHandler | undefined) => {
    if (onMessage) channel?.removeEventListener('message', onMessage);
  };

  const close = () => {
    channel?.close();
    channel = undefined;
    const closing = dbPromise;
    dbPromise = undefined;
    closing?.then(
      (db) => db.close(),
      () => {},
    );
  };

  return {getPersisted, setPersisted, addPersisterListener, delPersisterListener, close};
};
