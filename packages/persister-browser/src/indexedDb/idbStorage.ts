// The IncrementalStorage of the IndexedDB persister: each method is one
// readwrite transaction that resolves when the transaction completes, then
// tells other tabs what changed through a BroadcastChannel. A whole save is one
// transaction too: replaceAll (full save) and applyBatch (incremental save), so
// a tab that closes mid-save leaves the database as it was before that save.
import {
  createErrorReporter,
  type IncrementalOperation,
  type IncrementalStorage,
  type OnIgnoredError,
  type PersisterListener,
} from '@x/persister';
import type {Content, Row, Store, Table, Tables, Value, Values} from '@x/store';
import {setOwn} from '../setOwn';
import {
  channelName,
  type IdbMessage,
  type IdbStepMessage,
  messageToNotification,
} from './broadcast';
import {META, openDb, ROWS, VALUES} from './openDb';

const PERSISTED = 'persisted';

type MessageHandler = (event: MessageEvent) => void;

/** What the persister gets: the storage, and a way to close the connection when destroyed. */
export type IdbStorage = IncrementalStorage<MessageHandler | undefined> & {close(): void};

const getKeyRange = (): typeof IDBKeyRange => {
  const keyRange = (globalThis as {IDBKeyRange?: typeof IDBKeyRange}).IDBKeyRange;
  if (keyRange == null) {
    throw new Error('IDBKeyRange is not available here (not a browser-like environment?)');
  }
  return keyRange;
};

/** Every row key of one table: arrays sort after strings, so `[tableId, []]` bounds them. */
const tableRange = (tableId: string) => getKeyRange().bound([tableId], [tableId, []]);

const toContent = (
  rowKeys: IDBValidKey[],
  rows: unknown[],
  valueKeys: IDBValidKey[],
  values: unknown[],
): Content => {
  const tables: Tables = {};
  rowKeys.forEach((key, index) => {
    if (!Array.isArray(key) || key.length !== 2 || typeof key[0] !== 'string') {
      throw new TypeError(`IndexedDB holds a row under an unexpected key: ${String(key)}`);
    }
    const [tableId, rowId] = key as [string, string];
    if (!Object.hasOwn(tables, tableId)) {
      setOwn<Table>(tables, tableId, {});
    }
    // Handed over as stored: the core validates it (and reports what is bad).
    setOwn(tables[tableId] as Table, String(rowId), rows[index] as Row);
  });
  const contentValues: Values = {};
  valueKeys.forEach((key, index) => {
    setOwn(contentValues, String(key), values[index] as Value);
  });
  return [tables, contentValues];
};

/** Issues the requests of one operation in `transaction` (which spans the stores it needs). */
const applyOperation = (transaction: IDBTransaction, operation: IncrementalOperation): void => {
  switch (operation.type) {
    case 'putRows': {
      const rowsStore = transaction.objectStore(ROWS);
      for (const [rowId, row] of Object.entries(operation.rows)) {
        rowsStore.put(row, [operation.tableId, rowId]);
      }
      return;
    }
    case 'delRows': {
      const rowsStore = transaction.objectStore(ROWS);
      for (const rowId of operation.rowIds) {
        rowsStore.delete([operation.tableId, rowId]);
      }
      return;
    }
    case 'delTable':
      transaction.objectStore(ROWS).delete(tableRange(operation.tableId));
      return;
    case 'putValues': {
      const valuesStore = transaction.objectStore(VALUES);
      for (const [valueId, value] of Object.entries(operation.values)) {
        valuesStore.put(value, valueId);
      }
      return;
    }
    case 'delValues': {
      const valuesStore = transaction.objectStore(VALUES);
      for (const valueId of operation.valueIds) {
        valuesStore.delete(valueId);
      }
      return;
    }
  }
};

/** What other tabs are told about one operation. */
const operationMessage = (operation: IncrementalOperation): IdbStepMessage => {
  switch (operation.type) {
    case 'putRows':
      return {kind: 'rows', tableId: operation.tableId, rows: operation.rows};
    case 'delRows': {
      const rows: {[rowId: string]: Row | undefined} = {};
      for (const rowId of operation.rowIds) {
        setOwn(rows, rowId, undefined);
      }
      return {kind: 'rows', tableId: operation.tableId, rows};
    }
    case 'delTable':
      return {kind: 'table', tableId: operation.tableId};
    case 'putValues':
      return {kind: 'values', values: operation.values};
    case 'delValues': {
      const values: {[valueId: string]: Value | undefined} = {};
      for (const valueId of operation.valueIds) {
        setOwn(values, valueId, undefined);
      }
      return {kind: 'values', values};
    }
  }
};

/** The object store one operation writes to. */
const operationStore = (operation: IncrementalOperation): string =>
  operation.type === 'putValues' || operation.type === 'delValues' ? VALUES : ROWS;

/** The storage for `dbName`; the connection opens on first use and reopens after a close. */
export const createIdbStorage = (
  store: Store,
  dbName: string,
  onIgnoredError?: OnIgnoredError,
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

  const getDb = (): Promise<IDBDatabase> => {
    if (dbPromise === undefined) {
      const opening = openDb(dbName).then(
        (db) => {
          const forget = () => {
            if (dbPromise === opening) {
              dbPromise = undefined;
            }
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

  const broadcast = (message: IdbMessage) => getChannel()?.postMessage(message);

  /** Runs `work` in one readwrite transaction; resolves on complete, then broadcasts. */
  const write = async (
    storeNames: string[],
    work: (transaction: IDBTransaction) => void,
    message: IdbMessage,
  ): Promise<void> => {
    const db = await getDb();
    await new Promise<void>((resolve, reject) => {
      const transaction = db.transaction(storeNames, 'readwrite');
      transaction.oncomplete = () => resolve();
      transaction.onabort = () =>
        reject(transaction.error ?? new Error(`IndexedDB "${dbName}": transaction aborted`));
      try {
        work(transaction);
      } catch (error) {
        // A put of something IndexedDB cannot store throws synchronously
        // (DataCloneError), as does any request after the transaction aborted.
        try {
          transaction.abort();
        } catch {
          // Already aborted: nothing of it was committed either way.
        }
        reject(error);
      }
    });
    broadcast(message);
  };

  /** One operation on its own (the per-table methods): one transaction on its object store. */
  const writeOperation = (operation: IncrementalOperation) =>
    write(
      [operationStore(operation)],
      (transaction) => applyOperation(transaction, operation),
      operationMessage(operation),
    );

  const getPersisted = async (): Promise<Content | undefined> => {
    const db = await getDb();
    return new Promise((resolve, reject) => {
      const transaction = db.transaction([ROWS, VALUES, META], 'readonly');
      const rowsStore = transaction.objectStore(ROWS);
      const valuesStore = transaction.objectStore(VALUES);
      const rowKeys = rowsStore.getAllKeys();
      const rows = rowsStore.getAll();
      const valueKeys = valuesStore.getAllKeys();
      const values = valuesStore.getAll();
      const persisted = transaction.objectStore(META).get(PERSISTED);
      transaction.oncomplete = () => {
        try {
          const isEmpty = rowKeys.result.length === 0 && valueKeys.result.length === 0;
          resolve(
            isEmpty && persisted.result === undefined
              ? undefined
              : toContent(rowKeys.result, rows.result, valueKeys.result, values.result),
          );
        } catch (error) {
          reject(error);
        }
      };
      transaction.onabort = () =>
        reject(transaction.error ?? new Error(`IndexedDB "${dbName}": read aborted`));
    });
  };

  const putRows = (tableId: string, rows: {[rowId: string]: Row}) =>
    writeOperation({type: 'putRows', tableId, rows});
  const delRows = (tableId: string, rowIds: string[]) =>
    writeOperation({type: 'delRows', tableId, rowIds});
  const delTable = (tableId: string) => writeOperation({type: 'delTable', tableId});
  const putValues = (values: Values) => writeOperation({type: 'putValues', values});
  const delValues = (valueIds: string[]) => writeOperation({type: 'delValues', valueIds});

  // The marker says "saved" even when empty, so an emptied store is not
  // mistaken for "nothing persisted" later. (The persister uses replaceAll.)
  const clear = () =>
    write(
      [ROWS, VALUES, META],
      (transaction) => {
        transaction.objectStore(ROWS).clear();
        transaction.objectStore(VALUES).clear();
        transaction.objectStore(META).put(1, PERSISTED);
      },
      {kind: 'clear'},
    );

  /** A full save: clear, marker and every row and value in one transaction; all or nothing. */
  const replaceAll = (content: Content) =>
    write(
      [ROWS, VALUES, META],
      (transaction) => {
        const [tables, values] = content;
        const rowsStore = transaction.objectStore(ROWS);
        const valuesStore = transaction.objectStore(VALUES);
        rowsStore.clear();
        valuesStore.clear();
        transaction.objectStore(META).put(1, PERSISTED);
        for (const [tableId, table] of Object.entries(tables)) {
          for (const [rowId, row] of Object.entries(table)) {
            rowsStore.put(row, [tableId, rowId]);
          }
        }
        for (const [valueId, value] of Object.entries(values)) {
          valuesStore.put(value, valueId);
        }
      },
      {kind: 'content', content},
    );

  /** An incremental save: every step in one transaction, told to other tabs as one message. */
  const applyBatch = (operations: IncrementalOperation[]) =>
    write(
      [ROWS, VALUES],
      (transaction) => {
        for (const operation of operations) {
          applyOperation(transaction, operation);
        }
      },
      {kind: 'batch', messages: operations.map(operationMessage)},
    );

  // Without BroadcastChannel (very old browsers) other tabs are simply not heard.
  const addPersisterListener = (listener: PersisterListener): MessageHandler | undefined => {
    const onMessage = (event: MessageEvent) => {
      let notification: ReturnType<typeof messageToNotification>;
      try {
        notification = messageToNotification(event.data, store);
      } catch (error) {
        report(error);
        return;
      }
      listener(notification.content, notification.changes);
    };
    const listening = getChannel();
    listening?.addEventListener('message', onMessage);
    return listening && onMessage;
  };

  const delPersisterListener = (onMessage: MessageHandler | undefined) => {
    if (onMessage) {
      channel?.removeEventListener('message', onMessage);
    }
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

  return {
    getPersisted,
    putRows,
    delRows,
    delTable,
    putValues,
    delValues,
    clear,
    replaceAll,
    applyBatch,
    addPersisterListener,
    delPersisterListener,
    close,
  };
};
