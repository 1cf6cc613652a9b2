// A database written by TinyBase's IndexedDB persister (same name) keeps its
// content in two object stores with key path `k`: `t` holds one record
// `{k: tableId, v: table}` per table, `v` one record `{k: valueId, v: value}`
// per value (and `m` a MergeableStore's content, which a Store cannot use).
// When this package's object stores are first created in such a database,
// its content moves into them inside that same versionchange transaction:
// all of it or, when the transaction fails, none of it, and only once (later
// opens find this package's object stores and never upgrade again).

/** TinyBase's object store of tables (one record per table). */
const TINYBASE_TABLES = 't';
/** TinyBase's object store of values (one record per value). */
const TINYBASE_VALUES = 'v';

type TinyBaseRecord = {k: unknown; v: unknown};

/** True when `db` holds TinyBase's layout of a regular store. */
export const hasTinyBaseLayout = (db: IDBDatabase): boolean =>
  db.objectStoreNames.contains(TINYBASE_TABLES) && db.objectStoreNames.contains(TINYBASE_VALUES);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  (Object.getPrototypeOf(value) === null ||
    Object.getPrototypeOf(Object.getPrototypeOf(value)) === null);

/** Why a table record cannot be split into rows, or undefined when it can. */
const tableProblem = ({k, v}: TinyBaseRecord): string | undefined => {
  if (typeof k !== 'string') return `a table id is not a string (${typeof k})`;
  if (!isPlainObject(v)) return `table ${JSON.stringify(k)} is not an object`;
  return undefined;
};

/**
 * Moves TinyBase's tables and values into `rows` (key `[tableId, rowId]`) and
 * `values` (key `valueId`), marks the content as saved in `meta` (so an empty
 * store saved by TinyBase stays "persisted"), and deletes TinyBase's `t` and
 * `v` object stores; `m` is left as it is. Rows and values are copied as they
 * are: the persister validates them when it reads, and reports (never
 * overwrites) what is not valid. A table record that cannot be split into rows
 * aborts the upgrade: `fail` gets the reason, and the database keeps
 * TinyBase's layout untouched. Call from `onupgradeneeded`, after creating
 * this package's object stores.
 *
 * @example
 * ```ts
 * request.onupgradeneeded = () => {
 *   createStores(request.result);
 *   if (hasTinyBaseLayout(request.result)) {
 *     migrateFromTinyBase(request.transaction!, {rows: 'rows', values: 'values', meta: 'meta', marker: 'persisted'}, reject);
 *   }
 * };
 * ```
 */
export const migrateFromTinyBase = (
  transaction: IDBTransaction,
  names: {rows: string; values: string; meta: string; marker: string},
  fail: (error: Error) => void,
): void => {
  const tables = transaction.objectStore(TINYBASE_TABLES).getAll();
  const values = transaction.objectStore(TINYBASE_VALUES).getAll();
  // Requests of one transaction succeed in order: both results are in by now.
  values.onsuccess = () => {
    const tableRecords = tables.result as TinyBaseRecord[];
    const valueRecords = values.result as TinyBaseRecord[];
    const problem =
      tableRecords.map(tableProblem).find((found) => found !== undefined) ??
      valueRecords
        .map(({k}) =>
          typeof k === 'string' ? undefined : `a value id is not a string (${typeof k})`,
        )
        .find((found) => found !== undefined);
    if (problem !== undefined) {
      fail(
        new Error(
          `IndexedDB "${transaction.db.name}" holds data of TinyBase's IndexedDB persister that ` +
            `cannot be moved to this persister's layout (${problem}); it was left as it is.`,
        ),
      );
      transaction.abort();
      return;
    }
    const rowsStore = transaction.objectStore(names.rows);
    for (const {k: tableId, v: table} of tableRecords) {
      for (const [rowId, row] of Object.entries(table as Record<string, unknown>)) {
        rowsStore.put(row, [tableId as string, rowId]);
      }
    }
    const valuesStore = transaction.objectStore(names.values);
    for (const {k: valueId, v: value} of valueRecords) {
      valuesStore.put(value, valueId as string);
    }
    transaction.objectStore(names.meta).put(1, names.marker);
    transaction.db.deleteObjectStore(TINYBASE_TABLES);
    transaction.db.deleteObjectStore(TINYBASE_VALUES);
  };
};
