// createStore: the state of one store (its data Maps, schemas, listener trees and the open
// transaction's log) and the code that writes to that state, kept in one closure on
// purpose: an app importing only createStore pays for every byte (bundle budget: well
// under TinyBase's createStore), and every piece moved to a factory of its own costs
// 50-80 B there (measured: gzip finds fewer repeats across the pieces). Everything that
// reads the state without writing it lives in its own module and gets what it needs as
// arguments:
// - validation.ts: whether a cell or value may be written (schemas passed in);
// - netChanges.ts: the state after a transaction, its net changes and transaction log,
//   and the change getters' answers;
// - fireChanges.ts: the listeners of a finished transaction (and the mutator pass), row
//   changes included;
// - sortedRowIdsListeners.ts, callListener.ts: sorted-row-ids listeners, callListener(id);
// - listenerKinds.ts, listenerTree.ts: the listener kinds and their path-keyed trees;
// - transactionLog.ts, dataMaps.ts, schema.ts, sort.ts, objects.ts, maps.ts: data types
//   and small pure helpers.

import {callListenerNow} from './callListener';
import {
  type CellCounts,
  type RowMap,
  rowToObject,
  type TableMap,
  type TablesMap,
  tablesToObject,
  tableToObject,
  type ValuesMap,
} from './dataMaps';
import {createFireChanges} from './fireChanges';
import {isTransactionKind, KIND_SPEC, KINDS, type Kind, newListenerTrees} from './listenerKinds';
import {
  addToTree,
  delFromTree,
  type ListenerFn,
  type ListenerRecord,
  type Tree,
} from './listenerTree';
import {ensure, newMap, pushTo} from './maps';
import {changesOf} from './netChanges';
import {fromStored, hasOwn, idOrNull, isObject, keysOf, put, type Stored, toId} from './objects';
import {
  type CellSchemas,
  defaultsOf,
  schemaToObject,
  type TablesSchemaMap,
  toCellSchemas,
  toTablesSchema,
} from './schema';
import {sortRowIds} from './sort';
import {
  clearTransactionLog,
  copyLog,
  NEW_ROW,
  newTransactionLog,
  type TableLog,
  type TransactionLog,
} from './transactionLog';
import type {
  Changes,
  Content,
  Id,
  IdLike,
  IdOrNull,
  ListenerStats,
  Row,
  SortedRowIdsArgs,
  Store,
  Table,
} from './types';
import {cellDefault, cellIn, valueDefault, valueIn} from './validation';

/** Bound on rounds of listeners that keep writing, so a ping-pong cannot hang the app. */
const MAX_ROUNDS = 1000;

/**
 * Creates an empty reactive store.
 *
 * @example
 * ```ts
 * const store = createStore().setCell('pets', 'fido', 'species', 'dog');
 * store.getTables(); // {pets: {fido: {species: 'dog'}}}
 * ```
 */
export const createStore = (): Store => {
  const tables: TablesMap = new Map();
  const values: ValuesMap = new Map();
  const cellCounts: CellCounts = new Map();
  const nextRowIds: Map<Id, number> = new Map();

  let tablesSchema: TablesSchemaMap | undefined;
  let tablesDefaults: Map<Id, [Id, Stored][]> | undefined;
  let valuesSchema: CellSchemas | undefined;
  let valuesDefaults: [Id, Stored][] | undefined;

  // Listeners (mutators in trees of their own: they run first, inside the transaction)
  const trees = newListenerTrees();
  const mutatorTrees = newListenerTrees();
  let mutators = 0;
  const {
    startTransaction: onStart,
    willFinishTransaction: onWillFinish,
    didFinishTransaction: onDidFinish,
  } = trees;
  const records: Map<Id, ListenerRecord> = new Map();
  let nextListenerId = 0;
  /** Listeners added while a transaction closes do not hear about that transaction. */
  let callableBelow = Infinity;

  // Transactions
  let depth = 0;
  let cur = newTransactionLog();
  let spare = newTransactionLog();
  /** The finished transaction whose listeners are running (for getTransactionChanges). */
  let reporting: TransactionLog | undefined;
  let dispatching = false;
  /** A listener wrote during dispatch: a follow-up transaction is open. */
  let followUp = false;
  /** finishTransaction is closing the outermost transaction (will-finish, rollback, dispatch). */
  let closing = false;
  /** An inner transaction() threw: the outermost one rolls everything back. */
  let doomed = false;
  let hasError = false;
  let firstError: unknown;
  /** Only the first error is kept: it is the one rethrown when the transaction is done. */
  const keepFirstError = (error: unknown): void => {
    if (!hasError) {
      hasError = true;
      firstError = error;
    }
  };

  // ---- listener calls -------------------------------------------------------

  const callSet = (
    set: Tree | Set<ListenerRecord> | undefined,
    a?: unknown,
    b?: unknown,
    c?: unknown,
    d?: unknown,
    e?: unknown,
    f?: unknown,
  ): void => {
    if (set) {
      for (const record of set as Set<ListenerRecord>) {
        // Listeners get exactly their documented arguments, no trailing undefineds.
        const {fn, arity, seq} = record;
        if (seq >= callableBelow) continue;
        try {
          if (arity < 3) {
            if (arity === 0) fn(store);
            else if (arity === 1) fn(store, a);
            else fn(store, a, b);
          } else if (arity === 3) fn(store, a, b, c);
          else if (arity === 4) fn(store, a, b, c, d);
          else if (arity === 5) fn(store, a, b, c, d, e);
          else fn(store, a, b, c, d, e, f);
        } catch (error) {
          // One throwing listener must not starve the others; the first error is rethrown later.
          keepFirstError(error);
        }
      }
    }
  };

  // ---- raw writes: every data change goes through these four --------------

  const logTable = (t: Id, table: TableMap | undefined): TableLog => {
    let log = cur.tables.get(t);
    if (!log) {
      if (!cur.tables.size) cur.hadTables = tables.size > 0;
      log = {had: table !== undefined, count: table ? table.size : 0, rows: new Map()};
      cur.tables.set(t, log);
    }
    return log;
  };
  const logCell = (
    t: Id,
    r: Id,
    c: Id,
    table: TableMap | undefined,
    row: RowMap | undefined,
    old: Stored | undefined,
  ): TableLog => {
    const tableLog = logTable(t, table);
    let rowLog = tableLog.rows.get(r);
    if (!rowLog) {
      rowLog = row ? {had: true, cells: new Map()} : NEW_ROW;
      tableLog.rows.set(r, rowLog);
    }
    if (rowLog.cells && !rowLog.cells.has(c)) rowLog.cells.set(c, old);
    return tableLog;
  };
  const countCell = (t: Id, c: Id, delta: 1 | -1, log: TableLog): void => {
    const counts = ensure(cellCounts, t, newMap<Id, number>);
    const count = (counts.get(c) ?? 0) + delta;
    if (count === 0 || count === delta) {
      log.ids ??= new Map();
      if (!log.ids.has(c)) log.ids.set(c, count === 0);
    }
    if (count) counts.set(c, count);
    else {
      counts.delete(c);
      if (!counts.size) cellCounts.delete(t);
    }
  };
  const setCellRaw = (t: Id, r: Id, c: Id, cell: Stored): void => {
    let table = tables.get(t);
    let row = table?.get(r);
    const old = row?.get(c);
    if (old === cell) return;
    const log = logCell(t, r, c, table, row, old);
    if (!table) {
      table = new Map();
      tables.set(t, table);
    }
    if (!row) {
      row = new Map();
      table.set(r, row);
    }
    row.set(c, cell);
    if (old === undefined) countCell(t, c, 1, log);
  };
  const delCellRaw = (t: Id, r: Id, c: Id): void => {
    const table = tables.get(t);
    const row = table?.get(r);
    if (!row?.has(c)) return;
    countCell(t, c, -1, logCell(t, r, c, table, row, row.get(c)));
    row.delete(c);
    if (!row.size) {
      table!.delete(r);
      if (!table!.size) tables.delete(t);
    }
  };
  const logValue = (v: Id, old: Stored | undefined): void => {
    if (!cur.values.size) cur.hadValues = values.size > 0;
    if (!cur.values.has(v)) cur.values.set(v, old);
  };
  const setValueRaw = (v: Id, value: Stored): void => {
    const old = values.get(v);
    if (old === value) return;
    logValue(v, old);
    values.set(v, value);
  };
  const delValueRaw = (v: Id): void => {
    if (!values.has(v)) return;
    logValue(v, values.get(v));
    values.delete(v);
  };

  // ---- validation ----------------------------------------------------------

  // Refused inputs are kept for the invalid listeners and getTransactionLog.
  const badCell = (t: Id, r: Id, c: Id, raw: unknown): void => {
    cur.badCells ??= new Map();
    pushTo(
      ensure(ensure(cur.badCells, t, newMap<Id, Map<Id, unknown[]>>), r, newMap<Id, unknown[]>),
      c,
      raw,
    );
  };
  const badValue = (v: Id, raw: unknown): void => {
    cur.badValues ??= new Map();
    pushTo(cur.badValues, v, raw);
  };

  // ---- validating writes (callers open the transaction) ---------------------

  const fillDefaults = (t: Id, r: Id): void => {
    const defaults = tablesDefaults?.get(t);
    const row = defaults && tables.get(t)?.get(r);
    if (row) for (const [c, cell] of defaults!) if (!row.has(c)) setCellRaw(t, r, c, cell);
  };
  /** Writes a cell, or its default; says whether anything could be written. */
  const setCellIn = (t: Id, r: Id, c: Id, raw: unknown): boolean => {
    let cell = cellIn(tablesSchema, t, c, raw);
    if (cell === undefined) {
      badCell(t, r, c, raw);
      cell = cellDefault(tablesSchema, t, c);
    }
    if (cell === undefined) return false;
    setCellRaw(t, r, c, cell);
    return true;
  };
  const delCellIn = (t: Id, r: Id, c: Id): void => {
    const fallback = cellDefault(tablesSchema, t, c);
    if (fallback !== undefined && tables.get(t)?.has(r)) setCellRaw(t, r, c, fallback);
    else delCellRaw(t, r, c);
  };
  const delRowIn = (t: Id, r: Id): void => {
    const row = tables.get(t)?.get(r);
    if (row) for (const c of row.keys()) delCellRaw(t, r, c);
  };
  const delTableIn = (t: Id): void => {
    const table = tables.get(t);
    if (table) for (const r of table.keys()) delRowIn(t, r);
  };
  const setPartialRowIn = (t: Id, r: Id, row: Row): void => {
    for (const c of keysOf(row)) setCellIn(t, r, c, row[c]);
    fillDefaults(t, r);
  };
  // The replacing writers say whether their input was usable (written): a replace deletes
  // what its input does not mention only when some of the input was usable or it was
  // empty; an input with entries none of which is usable changes nothing. Usability is
  // found while writing, so a 100,000-row table is walked once.
  const setRowIn = (t: Id, r: Id, row: unknown): boolean => {
    let table = tables.get(t);
    if (isObject(row) && !table?.has(r) && !cur.tables.get(t)?.rows.has(r)) {
      // Fast path for bulk loads: a row that is new to the store and to this transaction
      // is built whole, with no per-cell log (the log says the row is new). A row whose
      // cells are all refused is not written (each refusal is reported).
      const map: RowMap = new Map();
      let empty = true;
      for (const c in row) {
        if (!hasOwn(row, c)) continue;
        empty = false;
        const raw = row[c];
        let cell = cellIn(tablesSchema, t, c, raw);
        if (cell === undefined) {
          badCell(t, r, c, raw);
          cell = cellDefault(tablesSchema, t, c);
        }
        if (cell !== undefined) map.set(c, cell);
      }
      if (!map.size) return empty;
      const log = logTable(t, table);
      log.rows.set(r, NEW_ROW);
      for (const c of map.keys()) countCell(t, c, 1, log);
      if (!table) {
        table = new Map();
        tables.set(t, table);
      }
      table.set(r, map);
    } else if (!isObject(row)) {
      badCell(t, r, '', row);
      return false;
    } else {
      // New cells first, then removals, so an overwritten row keeps its place.
      let usable: boolean | undefined;
      for (const c of keysOf(row)) usable = setCellIn(t, r, c, row[c]) || !!usable;
      if (usable === false) return false;
      const old = tables.get(t)?.get(r);
      if (old) for (const c of old.keys()) if (!hasOwn(row, c)) delCellRaw(t, r, c);
    }
    fillDefaults(t, r);
    return true;
  };
  const setTableIn = (t: Id, table: unknown): boolean => {
    if (!isObject(table)) {
      badCell(t, '', '', table);
      return false;
    }
    let usable: boolean | undefined;
    for (const r of keysOf(table)) usable = setRowIn(t, r, table[r]) || !!usable;
    if (usable === false) return false;
    const old = tables.get(t);
    if (old) for (const r of old.keys()) if (!hasOwn(table, r)) delRowIn(t, r);
    return true;
  };
  const setTablesIn = (input: unknown): void => {
    if (!isObject(input)) {
      badCell('', '', '', input);
      return;
    }
    let usable: boolean | undefined;
    for (const t of keysOf(input)) usable = setTableIn(t, input[t]) || !!usable;
    if (usable !== false) for (const t of tables.keys()) if (!hasOwn(input, t)) delTableIn(t);
  };
  const fillValueDefaults = (): void => {
    if (valuesDefaults)
      for (const [v, value] of valuesDefaults) if (!values.has(v)) setValueRaw(v, value);
  };
  const setValueIn = (v: Id, raw: unknown): boolean => {
    let value = valueIn(valuesSchema, v, raw);
    if (value === undefined) {
      badValue(v, raw);
      value = valueDefault(valuesSchema, v);
    }
    if (value === undefined) return false;
    setValueRaw(v, value);
    return true;
  };
  const delValueIn = (v: Id): void => {
    const fallback = valueDefault(valuesSchema, v);
    if (fallback !== undefined) setValueRaw(v, fallback);
    else delValueRaw(v);
  };
  const setValuesIn = (input: unknown): void => {
    if (!isObject(input)) {
      badValue('', input);
      return;
    }
    let usable: boolean | undefined;
    for (const v of keysOf(input)) usable = setValueIn(v, input[v]) || !!usable;
    if (usable !== false) for (const v of values.keys()) if (!hasOwn(input, v)) delValueIn(v);
  };
  const setContentIn = (content: unknown): void => {
    if (!Array.isArray(content) || content.length !== 2) {
      badCell('', '', '', content);
      return;
    }
    setTablesIn(content[0]);
    setValuesIn(content[1]);
  };
  const applyChangesIn = (changes: unknown): void => {
    if (!Array.isArray(changes) || !isObject(changes[0]) || !isObject(changes[1])) {
      badCell('', '', '', changes);
      return;
    }
    const [changedTables, changedValues] = changes as [
      Record<string, unknown>,
      Record<string, unknown>,
    ];
    for (const t of keysOf(changedTables)) {
      const table = changedTables[t];
      if (table === undefined) delTableIn(t);
      else if (!isObject(table)) badCell(t, '', '', table);
      else {
        for (const r of keysOf(table)) {
          const row = table[r];
          if (row === undefined) delRowIn(t, r);
          else if (!isObject(row)) badCell(t, r, '', row);
          else {
            for (const c of keysOf(row)) {
              if (row[c] === undefined) delCellIn(t, r, c);
              else setCellIn(t, r, c, row[c]);
            }
            fillDefaults(t, r);
          }
        }
      }
    }
    for (const v of keysOf(changedValues)) {
      if (changedValues[v] === undefined) delValueIn(v);
      else setValueIn(v, changedValues[v]);
    }
  };

  const fireChanges = createFireChanges(tables, values, cellCounts, trees, callSet);
  const fireMutators = createFireChanges(tables, values, cellCounts, mutatorTrees, callSet);

  const revert = (log: TransactionLog): void => {
    // Writing the first old values back through the log makes every net change vanish.
    for (const [t, tableLog] of log.tables) {
      for (const [r, rowLog] of tableLog.rows) {
        if (rowLog.cells) {
          for (const [c, old] of rowLog.cells) {
            if (old === undefined) delCellRaw(t, r, c);
            else setCellRaw(t, r, c, old);
          }
        } else delRowIn(t, r);
      }
    }
    for (const [v, old] of log.values) {
      if (old === undefined) delValueRaw(v);
      else setValueRaw(v, old);
    }
  };

  const throwPendingError = (): void => {
    if (hasError) {
      const error = firstError;
      hasError = false;
      firstError = undefined;
      throw error;
    }
  };

  // ---- transactions -------------------------------------------------------------

  const startTransaction = (): Store => {
    if (depth++ === 0) {
      if (dispatching) {
        // A listener of a finished transaction writes: hold a follow-up transaction open
        // until the current listeners are done.
        followUp = true;
        depth++;
      }
      callSet(onStart.get(null));
    }
    return store;
  };

  const finishTransaction = (doRollback?: (changes: Changes) => boolean): Store => {
    // An unbalanced finish (more finishes than starts, or one from a will-finish
    // listener) is ignored rather than closing the transaction twice.
    if (!depth || (closing && depth === 1)) return store;
    if (--depth) return store;
    closing = true;
    for (let round = 0; ; round++) {
      callableBelow = nextListenerId;
      // Mutator phase: writes made by mutator listeners (which see the transaction as it
      // stood when they began) and by will-finish listeners join this transaction.
      depth = 1;
      if (mutators && !doomed) fireMutators(copyLog(cur), spare);
      callSet(onWillFinish.get(null));
      const done = cur;
      let rollback = doomed;
      if (doRollback && !rollback) {
        try {
          rollback = doRollback(changesOf(tables, values, done, undefined));
        } catch (error) {
          rollback = true;
          keepFirstError(error);
        }
      }
      if (rollback) revert(done);
      doomed = false;
      depth = 0;
      cur = spare;
      dispatching = true;
      reporting = done;
      try {
        fireChanges(done, cur);
        callSet(onDidFinish.get(null));
      } finally {
        dispatching = false;
        reporting = undefined;
        clearTransactionLog(done);
        spare = done;
      }
      if (!followUp) break;
      followUp = false;
      doRollback = undefined;
      if (round >= MAX_ROUNDS) {
        // Leave the rest in the log (it joins the next transaction) and say why.
        depth = 0;
        keepFirstError(new Error('@x/store: listeners kept writing for 1000 rounds'));
        break;
      }
    }
    closing = false;
    callableBelow = Infinity;
    throwPendingError();
    return store;
  };

  /** Runs one validating write inside its own (or the open) transaction. */
  const write = <A extends unknown[]>(writer: (...args: A) => void, ...args: A): Store => {
    startTransaction();
    try {
      writer(...args);
    } finally {
      finishTransaction();
    }
    return store;
  };

  // ---- schemas ---------------------------------------------------------------

  /** Re-validates every existing cell against the current schema, reporting what it drops. */
  const applyTablesSchema = (): void => {
    if (!tablesSchema) return;
    for (const [t, table] of tables) {
      for (const [r, row] of table) {
        for (const [c, cell] of row) {
          if (cellIn(tablesSchema, t, c, fromStored(cell)) === undefined) {
            badCell(t, r, c, fromStored(cell));
            cur.droppedCells ??= new Map();
            ensure(
              ensure(cur.droppedCells, t, newMap<Id, Map<Id, Stored>>),
              r,
              newMap<Id, Stored>,
            ).set(c, cell);
            delCellIn(t, r, c); // back to the default, if any
          }
        }
        fillDefaults(t, r);
      }
    }
  };
  const applyValuesSchema = (): void => {
    if (!valuesSchema) return;
    for (const [v, value] of values) {
      if (valueIn(valuesSchema, v, fromStored(value)) === undefined) {
        badValue(v, fromStored(value));
        cur.droppedValues ??= new Map();
        cur.droppedValues.set(v, value);
        delValueIn(v);
      }
    }
    fillValueDefaults();
  };

  // ---- the public object ---------------------------------------------------------

  // ---- listeners -----------------------------------------------------------------

  const addListener = (
    kind: Kind,
    path: (Id | null)[],
    fn: unknown,
    mutator: unknown,
    sort?: ListenerRecord['sort'],
  ): Id => {
    const seq = nextListenerId++;
    const id = String(seq);
    const record: ListenerRecord = {
      id,
      seq,
      kind,
      arity: KIND_SPEC[kind][1],
      path,
      fn: fn as ListenerFn,
      sort,
      // Transaction listeners have no mutator flag.
      mutator: !!mutator && !isTransactionKind(kind),
    };
    records.set(id, record);
    if (record.mutator) mutators++;
    addToTree((record.mutator ? mutatorTrees : trees)[kind], path, record);
    return id;
  };

  /**
   * getSortedRowIds' and addSortedRowIdsListener's arguments, positional (`count` of
   * them: the listener's have no sorter) or as one object; then the remaining arguments.
   */
  const sortArgs = (
    args: unknown[],
    count: number,
  ): [Id, NonNullable<ListenerRecord['sort']>, unknown[]] => {
    const [first] = args;
    const byObject = isObject(first);
    const [t, cellId, descending, offset, limit, sorter] = byObject
      ? [first.tableId, first.cellId, first.descending, first.offset, first.limit, first.sorter]
      : args.slice(0, count);
    const sort = {
      cellId: cellId == null ? undefined : toId(cellId as IdLike),
      descending: !!descending,
      offset: (offset as number) || 0,
      limit: limit as number | undefined,
      sorter: sorter as SortedRowIdsArgs['sorter'],
      last: [] as Id[],
    };
    return [toId(t as IdLike), sort, args.slice(byObject ? 1 : count)];
  };
  const sortNow = (
    t: Id,
    {cellId, descending, offset, limit, sorter}: ListenerRecord['sort'] & {},
  ) => sortRowIds(tables.get(t), cellId, descending, offset, limit, sorter);

  /** JSON input: parsed and written, or (bad JSON) reported and nothing written. */
  const writeJson = (json: string, writer: (input: unknown) => void, isValues?: 1): Store => {
    let input: unknown;
    try {
      input = JSON.parse(json);
    } catch {
      return write(() => (isValues ? badValue('', json) : badCell('', '', '', json)));
    }
    return write(writer, input);
  };

  /** The tables schema as the plain object it was given as. */
  const tablesSchemaObject = () => {
    const obj = {};
    if (tablesSchema) for (const [t, cells] of tablesSchema) put(obj, t, schemaToObject(cells));
    return obj;
  };

  const getRowMap = (t: IdLike, r: IdLike): RowMap | undefined => tables.get(toId(t))?.get(toId(r));

  const store = {
    getContent: () => [store.getTables(), store.getValues()],
    getTables: () => tablesToObject(tables),
    getTableIds: () => [...tables.keys()],
    getTable: (t) => {
      const table = tables.get(toId(t));
      return table ? tableToObject(table) : {};
    },
    getTableCellIds: (t) => [...(cellCounts.get(toId(t))?.keys() ?? [])],
    getRowCount: (t) => tables.get(toId(t))?.size ?? 0,
    getRowIds: (t) => [...(tables.get(toId(t))?.keys() ?? [])],
    getSortedRowIds: (...args: unknown[]) => {
      const [tableId, sort] = sortArgs(args, 6);
      return sortNow(tableId, sort);
    },
    getRow: (t, r) => {
      const row = getRowMap(t, r);
      return row ? rowToObject(row) : {};
    },
    getCellIds: (t, r) => [...(getRowMap(t, r)?.keys() ?? [])],
    getCell: (t, r, c) => fromStored(getRowMap(t, r)?.get(toId(c))),
    getValues: () => rowToObject(values),
    getValueIds: () => [...values.keys()],
    getValue: (v) => fromStored(values.get(toId(v))),

    hasTables: () => tables.size > 0,
    hasTable: (t) => tables.has(toId(t)),
    hasTableCell: (t, c) => !!cellCounts.get(toId(t))?.has(toId(c)),
    hasRow: (t, r) => !!tables.get(toId(t))?.has(toId(r)),
    hasCell: (t, r, c) => !!getRowMap(t, r)?.has(toId(c)),
    hasValues: () => values.size > 0,
    hasValue: (v) => values.has(toId(v)),

    forEachTable: (callback) => {
      for (const t of tables.keys()) callback(t, (rowCallback) => store.forEachRow(t, rowCallback));
    },
    forEachRow: (t, callback) => {
      const tableId = toId(t);
      const table = tables.get(tableId);
      if (table)
        for (const r of table.keys())
          callback(r, (cellCallback) => store.forEachCell(tableId, r, cellCallback));
    },
    forEachCell: (t, r, callback) => {
      const row = getRowMap(t, r);
      if (row) for (const [c, cell] of row) callback(c, fromStored(cell));
    },
    forEachValue: (callback) => {
      for (const [v, value] of values) callback(v, fromStored(value));
    },
    forEachTableCell: (t, callback) => {
      const counts = cellCounts.get(toId(t));
      if (counts) for (const [c, count] of counts) callback(c, count);
    },

    getJson: () => JSON.stringify(store.getContent()),
    getTablesJson: () => JSON.stringify(store.getTables()),
    getValuesJson: () => JSON.stringify(store.getValues()),

    setContent: (content) =>
      write(setContentIn, typeof content === 'function' ? content() : content),
    setTables: (input) => write(setTablesIn, input),
    setTable: (t, table) => write(setTableIn, toId(t), table),
    setRow: (t, r, row) => write(setRowIn, toId(t), toId(r), row),
    setPartialRow: (t, r, row) => {
      const tableId = toId(t);
      const rowId = toId(r);
      return write(() => {
        if (isObject(row)) setPartialRowIn(tableId, rowId, row);
        else badCell(tableId, rowId, '', row);
      });
    },
    setCell: (t, r, c, cell) => {
      const tableId = toId(t);
      const rowId = toId(r);
      const cellId = toId(c);
      startTransaction();
      try {
        setCellIn(
          tableId,
          rowId,
          cellId,
          typeof cell === 'function'
            ? cell(fromStored(tables.get(tableId)?.get(rowId)?.get(cellId)))
            : cell,
        );
        fillDefaults(tableId, rowId);
      } finally {
        finishTransaction();
      }
      return store;
    },
    addRow: (t, row) => {
      // The row is written under the next free id; an empty or wholly invalid row is not
      // (its refused cells are reported under that id), and then the id is not used up.
      const tableId = toId(t);
      let next = nextRowIds.get(tableId) ?? 0;
      while (tables.get(tableId)?.has(String(next))) next++;
      const rowId = String(next);
      let added = false;
      write(() => {
        setRowIn(tableId, rowId, row);
        added = !!tables.get(tableId)?.has(rowId);
      });
      if (!added) return undefined;
      nextRowIds.set(tableId, next + 1);
      return rowId;
    },
    setValues: (input) => write(setValuesIn, input),
    setPartialValues: (input) =>
      write(() => {
        if (isObject(input)) for (const v of keysOf(input)) setValueIn(v, input[v]);
        else badValue('', input);
      }),
    setValue: (v, value) => {
      const valueId = toId(v);
      return write(
        setValueIn,
        valueId,
        typeof value === 'function' ? value(fromStored(values.get(valueId))) : value,
      );
    },
    applyChanges: (changes) => write(applyChangesIn, changes),

    delTables: () =>
      write(() => {
        for (const t of tables.keys()) delTableIn(t);
      }),
    delTable: (t) => write(delTableIn, toId(t)),
    delRow: (t, r) => write(delRowIn, toId(t), toId(r)),
    delCell: (t, r, c) => write(delCellIn, toId(t), toId(r), toId(c)),
    delValues: () =>
      write(() => {
        for (const v of values.keys()) delValueIn(v);
      }),
    delValue: (v) => write(delValueIn, toId(v)),

    // A full replace (a JSON object alone: the tables of the older tables-only format);
    // JSON that does not parse leaves the store as it was.
    setJson: (json) =>
      writeJson(json, (input) => (isObject(input) ? setTablesIn : setContentIn)(input)),
    setTablesJson: (json) => writeJson(json, setTablesIn),
    setValuesJson: (json) => writeJson(json, setValuesIn, 1),

    setSchema: (newTablesSchema, newValuesSchema) => {
      // Both are checked before either is used: a malformed one changes nothing.
      const checked = toTablesSchema(newTablesSchema);
      const checkedValues =
        newValuesSchema === undefined
          ? valuesSchema
          : toCellSchemas(newValuesSchema, 'valuesSchema');
      [tablesSchema, tablesDefaults] = checked;
      valuesSchema = checkedValues;
      valuesDefaults = checkedValues && defaultsOf(checkedValues);
      return write(() => {
        applyTablesSchema();
        applyValuesSchema();
      });
    },
    setTablesSchema: (schema) => store.setSchema(schema),
    setValuesSchema: (schema) => {
      valuesSchema = toCellSchemas(schema, 'valuesSchema');
      valuesDefaults = defaultsOf(valuesSchema);
      return write(applyValuesSchema);
    },
    delTablesSchema: () => {
      tablesSchema = tablesDefaults = undefined;
      return store;
    },
    delValuesSchema: () => {
      valuesSchema = valuesDefaults = undefined;
      return store;
    },
    delSchema: () => store.delTablesSchema().delValuesSchema(),
    hasTablesSchema: () => !!tablesSchema,
    hasValuesSchema: () => !!valuesSchema,
    getTablesSchemaJson: () => JSON.stringify(tablesSchemaObject()),
    getValuesSchemaJson: () => JSON.stringify(schemaToObject(valuesSchema)),
    getSchemaJson: () => JSON.stringify([tablesSchemaObject(), schemaToObject(valuesSchema)]),
    isMergeable: () => false,

    addSortedRowIdsListener: (...args: unknown[]) => {
      const [tableId, sort, [listener, mutator]] = sortArgs(args, 5);
      sort.last = sortNow(tableId, sort);
      return addListener('sortedRowIds', [tableId], listener, mutator, sort);
    },
    delListener: (listenerId) => {
      const record = records.get(listenerId);
      if (record) {
        records.delete(listenerId);
        if (record.mutator) mutators--;
        delFromTree(
          (record.mutator ? mutatorTrees : trees)[record.kind as Kind],
          record.path,
          record,
        );
      }
      return store;
    },
    callListener: (listenerId) => {
      const record = records.get(listenerId);
      if (record) {
        callListenerNow(tables, values, cellCounts, callSet, record);
        throwPendingError();
      }
      return store;
    },
    getListenerStats: () => {
      const stats = {transaction: 0} as Record<string, number>;
      for (const kind of KINDS) if (!isTransactionKind(kind)) stats[kind] = 0;
      for (const {kind} of records.values())
        stats[isTransactionKind(kind) ? 'transaction' : kind]++;
      return stats as ListenerStats;
    },

    transaction: (actions, doRollback) => {
      startTransaction();
      let ok = false;
      let result: ReturnType<typeof actions>;
      try {
        result = actions();
        ok = true;
      } finally {
        // An exception in the actions rolls the whole transaction back (the outermost
        // one, even when an outer transaction catches it), then propagates.
        if (!ok) doomed = true;
        finishTransaction(ok ? doRollback : undefined);
      }
      return result;
    },
    startTransaction,
    finishTransaction,
    getTransactionChanges: () =>
      reporting
        ? changesOf(tables, values, reporting, cur)
        : depth
          ? changesOf(tables, values, cur, undefined)
          : [{}, {}, 1],
    getTransactionLog: () => changesOf(tables, values, reporting ?? cur, reporting && cur, true),
    getSchemaDrops: () => {
      const {droppedCells, droppedValues} = reporting ?? cur;
      const dropped: Content = [{}, {}];
      if (droppedCells)
        for (const [t, rows] of droppedCells) {
          const table: Table = {};
          for (const [r, cells] of rows) {
            const row: Row = {};
            for (const [c, cell] of cells) put(row, c, fromStored(cell));
            put(table, r, row);
          }
          put(dropped[0], t, table);
        }
      if (droppedValues)
        for (const [v, value] of droppedValues) put(dropped[1], v, fromStored(value));
      return dropped;
    },
  } as Store;

  // add<Kind>Listener(...ids, listener) for every kind but sorted row ids (it has its own).
  for (const kind of KINDS) {
    const idCount = KIND_SPEC[kind][0];
    const name = `add${kind[0].toUpperCase()}${kind.slice(1)}Listener`;
    if (kind !== 'sortedRowIds') {
      (store as unknown as Record<string, unknown>)[name] = (...args: unknown[]): Id =>
        addListener(
          kind,
          idCount ? (args.slice(0, idCount) as IdOrNull[]).map(idOrNull) : [null],
          args[idCount],
          args[idCount + 1],
        );
    }
  }
  return store;
};
