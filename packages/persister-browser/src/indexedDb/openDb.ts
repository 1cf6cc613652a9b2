// Opening the database: never hangs. A blocked upgrade (another tab holds an
// older version open and will not let go) or a failed open rejects with a
// clear error, which the persister core reports. The first open of a database
// that TinyBase's IndexedDB persister wrote moves its content into this
// package's layout (migrateFromTinyBase.ts).
import {hasTinyBaseLayout, migrateFromTinyBase} from './migrateFromTinyBase';

/** Object store of rows: key `[tableId, rowId]`, value the row object. */
export const ROWS = 'rows';
/** Object store of values: key `valueId`, value the value. */
export const VALUES = 'values';
/** Object store of markers: key `'persisted'` says a full save has happened. */
export const META = 'meta';
/** The key in `META` that says a full save has happened. */
export const PERSISTED_MARKER = 'persisted';
const STORE_NAMES = [ROWS, VALUES, META];

const getFactory = (): IDBFactory => {
  const factory = (globalThis as {indexedDB?: IDBFactory}).indexedDB;
  if (factory == null) {
    throw new Error('indexedDB is not available here (not a browser-like environment?)');
  }
  return factory;
};

const hasAllStores = (db: IDBDatabase) =>
  STORE_NAMES.every((name) => db.objectStoreNames.contains(name));

const openVersion = (dbName: string, version?: number): Promise<IDBDatabase> =>
  new Promise((resolve, reject) => {
    let settled = false;
    // Why an upgrade aborted itself (TinyBase data it could not move), for the error below.
    let upgradeError: Error | undefined;
    const request =
      version === undefined ? getFactory().open(dbName) : getFactory().open(dbName, version);
    request.onupgradeneeded = () => {
      const db = request.result;
      const firstOpen = !db.objectStoreNames.contains(ROWS);
      for (const name of STORE_NAMES) {
        if (!db.objectStoreNames.contains(name)) {
          db.createObjectStore(name);
        }
      }
      // TinyBase's IndexedDB persister wrote this database: move its content, in this transaction.
      if (firstOpen && hasTinyBaseLayout(db) && request.transaction) {
        migrateFromTinyBase(
          request.transaction,
          {rows: ROWS, values: VALUES, meta: META, marker: PERSISTED_MARKER},
          (error) => {
            upgradeError = error;
          },
        );
      }
    };
    request.onsuccess = () => {
      if (settled) {
        // We gave up on a blocked open; it went through later: let it go again.
        request.result.close();
        return;
      }
      settled = true;
      resolve(request.result);
    };
    request.onerror = (event) => {
      event.preventDefault();
      if (!settled) {
        settled = true;
        reject(
          upgradeError ??
            new Error(`Could not open IndexedDB "${dbName}": ${request.error?.message}`),
        );
      }
    };
    request.onblocked = () => {
      if (!settled) {
        settled = true;
        reject(
          new Error(
            `Opening IndexedDB "${dbName}" is blocked: another connection (another tab?) ` +
              'holds an older version open. Close it and try again.',
          ),
        );
      }
    };
  });

/**
 * Opens `dbName` with the object stores this package needs, creating or
 * upgrading it (one version up) when they are missing.
 */
export const openDb = async (dbName: string): Promise<IDBDatabase> => {
  const db = await openVersion(dbName);
  if (hasAllStores(db)) {
    return db;
  }
  const version = db.version + 1;
  db.close();
  return openVersion(dbName, version);
};
