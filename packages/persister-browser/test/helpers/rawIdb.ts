// Reads and writes the database with plain IndexedDB calls, as another program
// would: an independent check of what the persister stored.
import type {PersistedContent} from '@x/persister';
import type {Row, Tables, Values} from '@x/store';

const done = <T>(request: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });

export const openRaw = (dbName: string): Promise<IDBDatabase> =>
  new Promise((resolve, reject) => {
    const request = indexedDB.open(dbName);
    request.onupgradeneeded = () => {
      for (const name of ['rows', 'values', 'meta']) {
        request.result.createObjectStore(name);
      }
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });

/** Every record of every object store, keys included, as JSON. */
export const dumpRaw = async (dbName: string): Promise<string> => {
  const db = await openRaw(dbName);
  const dump: {[storeName: string]: [IDBValidKey, unknown][]} = {};
  for (const name of Array.from(db.objectStoreNames)) {
    const store = db.transaction(name).objectStore(name);
    const keys = await done(store.getAllKeys());
    const values = await done(store.getAll());
    dump[name] = keys.map((key, index) => [key, values[index]]);
  }
  db.close();
  return JSON.stringify(dump);
};

/**
 * The content as stored, or undefined when no row, value or save marker is there;
 * with `{version}` as a third element when META holds a content version.
 */
export const readRaw = async (dbName: string): Promise<PersistedContent | undefined> => {
  const dump = JSON.parse(await dumpRaw(dbName)) as {[name: string]: [unknown, unknown][]};
  const rows = dump.rows ?? [];
  const values = dump.values ?? [];
  if (rows.length === 0 && values.length === 0 && (dump.meta ?? []).length === 0) {
    return undefined;
  }
  const tables: Tables = {};
  for (const [[tableId, rowId], row] of rows as [[string, string], Row][]) {
    // The version fence (a key whose first element is an array) is not a row.
    if (Array.isArray(tableId)) continue;
    Object.defineProperty(tables, tableId, {
      value: Object.hasOwn(tables, tableId) ? tables[tableId] : {},
      enumerable: true,
      configurable: true,
      writable: true,
    });
    Object.defineProperty(tables[tableId], rowId, {
      value: row,
      enumerable: true,
      configurable: true,
      writable: true,
    });
  }
  const contentValues: Values = {};
  for (const [valueId, value] of values as [string, Values[string]][]) {
    Object.defineProperty(contentValues, valueId, {
      value,
      enumerable: true,
      configurable: true,
      writable: true,
    });
  }
  const contentVersion = (dump.meta ?? []).find(([key]) => key === 'contentVersion')?.[1];
  return contentVersion === undefined
    ? [tables, contentValues]
    : [tables, contentValues, {version: contentVersion as number}];
};

/** Puts one record straight into an object store. */
export const putRaw = async (
  dbName: string,
  storeName: string,
  key: IDBValidKey,
  value: unknown,
): Promise<void> => {
  const db = await openRaw(dbName);
  const transaction = db.transaction(storeName, 'readwrite');
  transaction.objectStore(storeName).put(value, key);
  await new Promise((resolve, reject) => {
    transaction.oncomplete = resolve;
    transaction.onabort = () => reject(transaction.error);
  });
  db.close();
};

/** Deletes the database; does not wait on a connection someone left open. */
export const deleteRaw = (dbName: string): Promise<void> =>
  new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(dbName);
    request.onsuccess = () => resolve();
    request.onerror = () => resolve();
    request.onblocked = () => resolve();
  });
