// 11. IndexedDB autosave under a burst (fake-indexeddb in Node, for both
// libraries): many single-cell transactions back to back on a large store.
// Measures the time until a second connection reads the last edit, and how
// many writes the burst cost; then checks that the database equals the store.
import {makeStore, n, rowId, TABLE} from '../data';
import {defineScenario, type LibName} from '../types';
import {check, waitSettled, waitUntil} from '../verify';

// The little of the IndexedDB API used here, typed locally (no DOM types in this app).
type Request<T> = {
  result: T;
  error: unknown;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
};
type Database = {
  transaction(storeName: string): {
    objectStore(name: string): {get(key: unknown): Request<unknown>};
  };
  close(): void;
};
type Factory = {open(name: string): Request<Database>; deleteDatabase(name: string): unknown};

const factory = (): Factory => (globalThis as unknown as {indexedDB: Factory}).indexedDB;

const done = <T>(request: Request<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });

/** A second connection, as another tab would open it (no upgrade: the persister made the stores). */
const openReader = (dbName: string): Promise<Database> => done(factory().open(dbName));

/**
 * Cell `n` of `row` as each library stores it: ours one record per row
 * (`rows`, key `[tableId, rowId]`); TinyBase one record per table (`t`, `{k, v}`).
 */
const readCell = async (lib: LibName, db: Database, row: string): Promise<unknown> => {
  if (lib === 'x') {
    const stored = await done(db.transaction('rows').objectStore('rows').get([TABLE, row]));
    return (stored as {n?: unknown} | undefined)?.n;
  }
  const stored = await done(db.transaction('t').objectStore('t').get(TABLE));
  return (stored as {v?: {[rowId: string]: {n?: unknown}}} | undefined)?.v?.[row]?.n;
};

export default defineScenario({
  id: '11',
  title: ({transactions, rows}) =>
    `IndexedDB autosave (fake-indexeddb): ${n(transactions)} single-cell transactions on ${n(rows)} rows`,
  needs: ['createStore', 'createIndexedDbPersister'],
  size: {
    full: {transactions: 1_000, rows: 10_000, timeoutMs: 120_000, settleMs: 600_000},
    quick: {transactions: 50, rows: 500, timeoutMs: 15_000, settleMs: 30_000},
  },
  fullRuns: {runs: 3, warmup: 0, why: "TinyBase's queued whole-table writes take long to drain"},
  metrics: [
    {key: 'time', label: 'time until a second connection reads the last edit', unit: 'ms'},
    {key: 'settled', label: 'time until every write is done', unit: 'ms'},
    {key: 'writes', label: 'writes', unit: 'writes'},
  ],
  async setup() {
    // A real in-memory IndexedDB on the globals both libraries look for.
    // (A variable specifier: imported at run time, as the libraries are, never bundled.)
    const specifier = 'fake-indexeddb/auto';
    await import(specifier);
  },
  async run(lib, {transactions, rows, timeoutMs, settleMs}, ctx) {
    const dbName = `bench-idb-${ctx.run}-${Date.now()}`;
    const store = makeStore(lib, rows);
    // TinyBase's signature has its autoload interval third.
    const persister =
      lib.name === 'tinybase'
        ? (
            lib.createIndexedDbPersister as unknown as (
              ...args: unknown[]
            ) => ReturnType<typeof lib.createIndexedDbPersister>
          )(store, dbName, 1, ctx.onIgnoredError)
        : lib.createIndexedDbPersister(store, dbName, ctx.onIgnoredError);
    await persister.startAutoSave();
    await waitSettled(persister);
    const savesBefore = persister.getStats().saves;
    const reader = await openReader(dbName);

    const lastRow = rowId((transactions - 1) % rows);
    const lastValue = -transactions;
    const start = performance.now();
    for (let k = 0; k < transactions; k++) store.setCell(TABLE, rowId(k % rows), 'n', -(k + 1));
    const seen = await waitUntil(
      async () => (await readCell(lib.name, reader, lastRow)) === lastValue,
      {timeoutMs},
    );
    check(seen !== undefined, `the second connection never read the last edit (${timeoutMs} ms)`);
    const time = seen - start;

    const idle = await waitSettled(persister, settleMs);
    check(idle !== undefined, `the persister did not finish its writes in ${settleMs} ms`);
    const settled = idle - start;
    const writes = persister.getStats().saves - savesBefore;
    await persister.destroy();
    for (let i = 0; i < rows; i += Math.max(1, Math.floor(rows / 50))) {
      const row = rowId(i);
      check(
        (await readCell(lib.name, reader, row)) === store.getCell(TABLE, row, 'n'),
        `the database's ${row} is not the store's`,
      );
    }
    reader.close();
    factory().deleteDatabase(dbName);
    return {time, settled, writes};
  },
});
