// createStore: the data (Maps all the way down, so any string is a safe id),
// the validating writers, the transaction log and the path-keyed dispatch.

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
import {
  addToTree,
  delFromTree,
  type ListenerFn,
  type ListenerRecord,
  type Tree,
} from './listenerTree';
import {ensure, newMap, pushTo} from './maps';
import {
  cellAfter,
  cellIdsAfter,
  changesOf,
  rowAfter,
  tableLogAfter,
  valueAfter,
} from './netChanges';
import {hasOwn, isCell, isObject, keysOf, toId} from './objects';
import {type CellSchemas, defaultsOf, fitsSchema, toCellSchemas} from './schema';
import {sortRowIds} from './sort';
import {
  clearTransactionLog,
  NEW_ROW,
  newTransactionLog,
  type TableLog,
  type TransactionLog,
} from './transactionLog';
import type {
  Cell,
  CellSchema,
  Changes,
  Id,
  IdLike,
  IdOrNull,
  ListenerStats,
  Row,
  RowChangeType,
  Store,
  Table,
  Tables,
  Value,
  Values,
} from './types';

/** Bound on rounds of listeners that keep writing, so a ping-pong cannot hang the app. */
const MAX_ROUNDS = 1000;

/**
 * Every listener kind: how many ids its adder takes (its path), and how many arguments
 * its listeners get after the store. `add<Kind>Listener` is generated from this table.
 */
const KIND_SPEC = {
  tables: [0, 0],
  tableIds: [0, 0],
  table: [1, 1],
  tableCellIds: [1, 1],
  rowCount: [1, 2],
  rowIds: [1, 1],
  sortedRowIds: [1, 6],
  row: [2, 2],
  cellIds: [2, 2],
  cell: [3, 5],
  hasTables: [0, 1],
  hasTable: [1, 2],
  hasRow: [2, 3],
  hasCell: [3, 4],
  values: [0, 0],
  valueIds: [0, 0],
  value: [1, 3],
  hasValues: [0, 1],
  hasValue: [1, 2],
  invalidCell: [3, 4],
  invalidValue: [1, 2],
  startTransaction: [0, 0],
  willFinishTransaction: [0, 0],
  didFinishTransaction: [0, 0],
  rowChanges: [1, 3],
} as const;
type Kind = keyof typeof KIND_SPEC;
const KINDS = keysOf(KIND_SPEC) as Kind[];
const isTransactionKind = (kind: string): boolean => kind.endsWith('Transaction');

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

  let tablesSchema: Map<Id, CellSchemas> | undefined;
  let tablesDefaults: Map<Id, [Id, Cell][]> | undefined;
  let valuesSchema: CellSchemas | undefined;
  let valuesDefaults: [Id, Cell][] | undefined;

  // Listeners
  const records: Map<Id, ListenerRecord> = new Map();
  const trees = {} as Record<Kind, Tree>;
  for (const kind of KINDS) trees[kind] = new Map();
  const {
    tables: onTables,
    tableIds: onTableIds,
    table: onTable,
    tableCellIds: onTableCellIds,
    rowCount: onRowCount,
    rowIds: onRowIds,
    sortedRowIds: onSortedRowIds,
    row: onRow,
    cellIds: onCellIds,
    cell: onCell,
    hasTables: onHasTables,
    hasTable: onHasTable,
    hasRow: onHasRow,
    hasCell: onHasCell,
    values: onValues,
    valueIds: onValueIds,
    value: onValue,
    hasValues: onHasValues,
    hasValue: onHasValue,
    invalidCell: onInvalidCell,
    invalidValue: onInvalidValue,
    startTransaction: onStart,
    willFinishTransaction: onWillFinish,
    didFinishTransaction: onDidFinish,
    rowChanges: onRowChanges,
  } = trees;
  let nextListenerId = 0;
  /** Listeners added while a transaction closes do not hear about that transaction. */
  let callableBelow = Number.POSITIVE_INFINITY;

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
  let hasError = false;
  let firstError: unknown;

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
          if (!hasError) {
            hasError = true;
            firstError = error;
          }
        }
      }
    }
  };
  const fire0 = (tree: Tree, a?: unknown): void => {
    if (tree.size) callSet(tree.get(null), a);
  };
  const fire1 = (tree: Tree, id: Id, a?: unknown, b?: unknown, c?: unknown): void => {
    if (tree.size) {
      callSet(tree.get(id), id, a, b, c);
      callSet(tree.get(null), id, a, b, c);
    }
  };
  const fire2In = (node: Tree | Set<ListenerRecord> | undefined, t: Id, r: Id, a: unknown) => {
    if (node) {
      callSet((node as Tree).get(r), t, r, a);
      callSet((node as Tree).get(null), t, r, a);
    }
  };
  const fire2 = (tree: Tree, t: Id, r: Id, a?: unknown): void => {
    if (tree.size) {
      fire2In(tree.get(t), t, r, a);
      fire2In(tree.get(null), t, r, a);
    }
  };
  const fire3In = (
    node: Tree | Set<ListenerRecord> | undefined,
    t: Id,
    r: Id,
    c: Id,
    a: unknown,
    b: unknown,
  ) => {
    if (node) {
      const byCell = (node as Tree).get(r) as Tree | undefined;
      if (byCell) {
        callSet(byCell.get(c), t, r, c, a, b);
        callSet(byCell.get(null), t, r, c, a, b);
      }
      const anyRow = (node as Tree).get(null) as Tree | undefined;
      if (anyRow) {
        callSet(anyRow.get(c), t, r, c, a, b);
        callSet(anyRow.get(null), t, r, c, a, b);
      }
    }
  };
  const fire3 = (tree: Tree, t: Id, r: Id, c: Id, a?: unknown, b?: unknown): void => {
    if (tree.size) {
      fire3In(tree.get(t), t, r, c, a, b);
      fire3In(tree.get(null), t, r, c, a, b);
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
    old: Cell | undefined,
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
  const setCellRaw = (t: Id, r: Id, c: Id, cell: Cell): void => {
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
  const logValue = (v: Id, old: Value | undefined): void => {
    if (!cur.values.size) cur.hadValues = values.size > 0;
    if (!cur.values.has(v)) cur.values.set(v, old);
  };
  const setValueRaw = (v: Id, value: Value): void => {
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

  const badCell = (t: Id, r: Id, c: Id, raw: unknown): void => {
    if (onInvalidCell.size) {
      cur.badCells ??= new Map();
      pushTo(
        ensure(ensure(cur.badCells, t, newMap<Id, Map<Id, unknown[]>>), r, newMap<Id, unknown[]>),
        c,
        raw,
      );
    }
  };
  const badValue = (v: Id, raw: unknown): void => {
    if (onInvalidValue.size) {
      cur.badValues ??= new Map();
      pushTo(cur.badValues, v, raw);
    }
  };
  const cellSchemaOf = (t: Id, c: Id): CellSchema | undefined => tablesSchema?.get(t)?.get(c);
  const cellOk = (t: Id, c: Id, raw: unknown): raw is Cell =>
    tablesSchema ? fitsSchema(cellSchemaOf(t, c), raw) : isCell(raw);
  const cellUsable = (t: Id, c: Id, raw: unknown): boolean =>
    cellOk(t, c, raw) || cellSchemaOf(t, c)?.default !== undefined;
  const valueOk = (v: Id, raw: unknown): raw is Value =>
    valuesSchema ? fitsSchema(valuesSchema.get(v), raw) : isCell(raw);
  const valueUsable = (v: Id, raw: unknown): boolean =>
    valueOk(v, raw) || valuesSchema?.get(v)?.default !== undefined;

  // An input is skipped when it is not an object, or when it has entries and none is usable:
  // then what the store held there stays as it was (an invalid write never half-applies).
  const someKey = (obj: Record<string, unknown>, usable: (key: string) => boolean): boolean => {
    const keys = keysOf(obj);
    return !keys.length || keys.some(usable);
  };
  const rowUsable = (t: Id, row: unknown): row is Row =>
    isObject(row) && someKey(row, (c) => cellUsable(t, c, row[c]));
  const tableUsable = (t: Id, table: unknown): table is Table =>
    isObject(table) && someKey(table, (r) => rowUsable(t, table[r]));
  const tablesUsable = (input: unknown): input is Tables =>
    isObject(input) && someKey(input, (t) => tableUsable(t, input[t]));
  const valuesUsable = (input: unknown): input is Values =>
    isObject(input) && someKey(input, (v) => valueUsable(v, input[v]));

  const reportRow = (t: Id, r: Id, row: unknown): void => {
    if (isObject(row)) for (const c of keysOf(row)) badCell(t, r, c, row[c]);
    else badCell(t, r, '', row);
  };
  const reportTable = (t: Id, table: unknown): void => {
    if (isObject(table)) for (const r of keysOf(table)) reportRow(t, r, table[r]);
    else badCell(t, '', '', table);
  };
  const reportTables = (input: unknown): void => {
    if (isObject(input)) for (const t of keysOf(input)) reportTable(t, input[t]);
    else badCell('', '', '', input);
  };
  const reportValues = (input: unknown): void => {
    if (isObject(input)) for (const v of keysOf(input)) badValue(v, input[v]);
    else badValue('', input);
  };

  // ---- validating writes (callers open the transaction) ---------------------

  const fillDefaults = (t: Id, r: Id): void => {
    const defaults = tablesDefaults?.get(t);
    const row = defaults && tables.get(t)?.get(r);
    if (row) for (const [c, cell] of defaults!) if (!row.has(c)) setCellRaw(t, r, c, cell);
  };
  const setCellIn = (t: Id, r: Id, c: Id, raw: unknown): void => {
    if (cellOk(t, c, raw)) setCellRaw(t, r, c, raw);
    else {
      badCell(t, r, c, raw);
      const fallback = cellSchemaOf(t, c)?.default;
      if (fallback !== undefined) setCellRaw(t, r, c, fallback);
    }
  };
  const delCellIn = (t: Id, r: Id, c: Id): void => {
    const fallback = cellSchemaOf(t, c)?.default;
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
  const setRowIn = (t: Id, r: Id, row: unknown): void => {
    if (!rowUsable(t, row)) {
      reportRow(t, r, row);
      return;
    }
    // New cells first, then removals, so an overwritten row keeps its place.
    for (const c of keysOf(row)) setCellIn(t, r, c, row[c]);
    const old = tables.get(t)?.get(r);
    if (old) for (const c of old.keys()) if (!hasOwn(row, c)) delCellRaw(t, r, c);
    fillDefaults(t, r);
  };
  const setTableIn = (t: Id, table: unknown): void => {
    if (!tableUsable(t, table)) {
      reportTable(t, table);
      return;
    }
    for (const r of keysOf(table)) setRowIn(t, r, table[r]);
    const old = tables.get(t);
    if (old) for (const r of old.keys()) if (!hasOwn(table, r)) delRowIn(t, r);
  };
  const setTablesIn = (input: unknown): void => {
    if (!tablesUsable(input)) {
      reportTables(input);
      return;
    }
    for (const t of keysOf(input)) setTableIn(t, input[t]);
    for (const t of tables.keys()) if (!hasOwn(input, t)) delTableIn(t);
  };
  const fillValueDefaults = (): void => {
    if (valuesDefaults)
      for (const [v, value] of valuesDefaults) if (!values.has(v)) setValueRaw(v, value);
  };
  const setValueIn = (v: Id, raw: unknown): void => {
    if (valueOk(v, raw)) setValueRaw(v, raw);
    else {
      badValue(v, raw);
      const fallback = valuesSchema?.get(v)?.default;
      if (fallback !== undefined) setValueRaw(v, fallback);
    }
  };
  const delValueIn = (v: Id): void => {
    const fallback = valuesSchema?.get(v)?.default;
    if (fallback !== undefined) setValueRaw(v, fallback);
    else delValueRaw(v);
  };
  const setValuesIn = (input: unknown): void => {
    if (!valuesUsable(input)) {
      reportValues(input);
      return;
    }
    for (const v of keysOf(input)) setValueIn(v, input[v]);
    for (const v of values.keys()) if (!hasOwn(input, v)) delValueIn(v);
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

  // ---- dispatch ---------------------------------------------------------------

  const sortedRowIds = (
    t: Id,
    cellId: Id | undefined,
    descending: boolean,
    offset: number,
    limit: number | undefined,
  ): Id[] => sortRowIds(tables.get(t), cellId, descending, offset, limit);
  const fireSorted = (t: Id): void => {
    const set = onSortedRowIds.get(t) as Set<ListenerRecord> | undefined;
    if (set) {
      for (const record of set) {
        const {cellId, descending, offset, limit, last} = record.sort!;
        const ids = sortedRowIds(t, cellId, descending, offset, limit);
        if (ids.length !== last.length || ids.some((id, i) => id !== last[i])) {
          record.sort!.last = ids;
          callSet(new Set([record]), t, cellId, descending, offset, limit, [...ids]);
        }
      }
    }
  };

  const fireInvalid = (log: TransactionLog): void => {
    if (log.badCells) {
      for (const [t, byRow] of log.badCells) {
        for (const [r, byCell] of byRow)
          for (const [c, raws] of byCell) fire3(onInvalidCell, t, r, c, raws);
      }
    }
    if (log.badValues) for (const [v, raws] of log.badValues) fire1(onInvalidValue, v, raws);
  };

  const fireData = (log: TransactionLog, next: TransactionLog): void => {
    let tablesChanged = false;
    let tableIdsChanged = false;
    for (const [t, tableLog] of log.tables) {
      let tableChanged = false;
      let rowIdsChanged = false;
      let created: Id[] | undefined;
      let updated: Id[] | undefined;
      let deleted: Id[] | undefined;
      for (const [r, rowLog] of tableLog.rows) {
        let rowChanged = false;
        let cellIdsChanged = false;
        // Live data is the state after the transaction as long as no listener wrote.
        const liveRow = tables.get(t)?.get(r);
        if (rowLog.cells) {
          for (const [c, old] of rowLog.cells) {
            const cell = next.tables.size ? cellAfter(tables, next, t, r, c) : liveRow?.get(c);
            if (cell !== old) {
              rowChanged = true;
              fire3(onCell, t, r, c, cell, old);
              if ((cell === undefined) !== (old === undefined)) {
                cellIdsChanged = true;
                fire3(onHasCell, t, r, c, cell !== undefined);
              }
            }
          }
        } else {
          // A row the transaction created: every cell it has now is new.
          rowChanged = cellIdsChanged = rowAfter(tables, next, t, r);
          if (rowChanged && (onCell.size || onHasCell.size)) {
            for (const c of cellIdsAfter(tables, next, t, r)) {
              fire3(onCell, t, r, c, cellAfter(tables, next, t, r, c), undefined);
              fire3(onHasCell, t, r, c, true);
            }
          }
        }
        if (rowChanged) {
          tableChanged = true;
          if (cellIdsChanged) fire2(onCellIds, t, r);
          fire2(onRow, t, r);
          const has = rowAfter(tables, next, t, r);
          if (has !== rowLog.had) {
            rowIdsChanged = true;
            fire2(onHasRow, t, r, has);
          }
          if (onRowChanges.size) {
            if (!has) {
              deleted ??= [];
              deleted.push(r);
            } else if (rowLog.had) {
              updated ??= [];
              updated.push(r);
            } else {
              created ??= [];
              created.push(r);
            }
          }
        }
      }
      if (tableChanged) {
        tablesChanged = true;
        const nextLog = tableLogAfter(next, t);
        if (tableLog.ids && onTableCellIds.size) {
          for (const [c, before] of tableLog.ids) {
            const after = nextLog?.ids?.has(c) ? nextLog.ids.get(c) : !!cellCounts.get(t)?.has(c);
            if (after !== before) {
              fire1(onTableCellIds, t);
              break;
            }
          }
        }
        if (rowIdsChanged) {
          fire1(onRowIds, t);
          const count = nextLog ? nextLog.count : (tables.get(t)?.size ?? 0);
          if (count !== tableLog.count) fire1(onRowCount, t, count);
        }
        if (onSortedRowIds.size) fireSorted(t);
        fire1(onTable, t);
        const has = nextLog ? nextLog.had : tables.has(t);
        if (has !== tableLog.had) {
          tableIdsChanged = true;
          fire1(onHasTable, t, has);
        }
        if (created) fire1(onRowChanges, t, 'create', created);
        if (updated) fire1(onRowChanges, t, 'update', updated);
        if (deleted) fire1(onRowChanges, t, tableLog.had && !has ? 'clear' : 'delete', deleted);
      }
    }
    if (tableIdsChanged) fire0(onTableIds);
    if (tablesChanged) fire0(onTables);
    if (log.tables.size) {
      const has = next.tables.size ? next.hadTables : tables.size > 0;
      if (has !== log.hadTables) fire0(onHasTables, has);
    }

    let valuesChanged = false;
    let valueIdsChanged = false;
    for (const [v, old] of log.values) {
      const value = valueAfter(values, next, v);
      if (value !== old) {
        valuesChanged = true;
        fire1(onValue, v, value, old);
        if ((value === undefined) !== (old === undefined)) {
          valueIdsChanged = true;
          fire1(onHasValue, v, value !== undefined);
        }
      }
    }
    if (valueIdsChanged) fire0(onValueIds);
    if (valuesChanged) fire0(onValues);
    if (log.values.size) {
      const has = next.values.size ? next.hadValues : values.size > 0;
      if (has !== log.hadValues) fire0(onHasValues, has);
    }
  };

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
      fire0(onStart);
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
      // Mutator phase: writes made by will-finish listeners join this transaction.
      depth = 1;
      fire0(onWillFinish);
      const done = cur;
      if (doRollback) {
        let rollback = false;
        try {
          rollback = doRollback(changesOf(tables, values, done, undefined));
        } catch (error) {
          rollback = true;
          if (!hasError) {
            hasError = true;
            firstError = error;
          }
        }
        if (rollback) revert(done);
      }
      depth = 0;
      cur = spare;
      dispatching = true;
      reporting = done;
      try {
        fireInvalid(done);
        fireData(done, cur);
        fire0(onDidFinish);
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
        if (!hasError) {
          hasError = true;
          firstError = new Error('@x/store: listeners kept writing for 1000 rounds');
        }
        break;
      }
    }
    closing = false;
    callableBelow = Number.POSITIVE_INFINITY;
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

  // ---- listeners -----------------------------------------------------------------

  const idOrNull = (id: IdOrNull | undefined): Id | null => (id == null ? null : toId(id));
  const addListener = (
    kind: Kind,
    path: (Id | null)[],
    fn: unknown,
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
    };
    records.set(id, record);
    addToTree(trees[kind], path, record);
    return id;
  };

  /** The ids a listener path segment stands for now: itself, or (wildcard) all current ones. */
  const idsFor = (id: Id | null, all: () => Id[]): Id[] => (id === null ? all() : [id]);

  const callListenerNow = (record: ListenerRecord): void => {
    const {kind, path} = record;
    const one = new Set([record]);
    const [p0, p1, p2] = path;
    const tableIds = () => [...tables.keys()];
    const valueIds = () => [...values.keys()];
    if (!record.arity) {
      callSet(one);
      return;
    }
    switch (kind) {
      case 'hasTables':
        callSet(one, tables.size > 0);
        return;
      case 'hasValues':
        callSet(one, values.size > 0);
        return;
      case 'sortedRowIds': {
        const {cellId, descending, offset, limit} = record.sort!;
        callSet(
          one,
          p0,
          cellId,
          descending,
          offset,
          limit,
          sortedRowIds(p0!, cellId, descending, offset, limit),
        );
        return;
      }
      case 'invalidCell':
      case 'invalidValue':
        return; // they report refused writes; there is nothing current to report
    }
    if (kind === 'value' || kind === 'hasValue') {
      for (const v of idsFor(p0, valueIds)) {
        if (kind === 'value') callSet(one, v, values.get(v), values.get(v));
        else callSet(one, v, values.has(v));
      }
      return;
    }
    for (const t of idsFor(p0, tableIds)) {
      const table = tables.get(t);
      if (kind === 'rowChanges') {
        if (table) callSet(one, t, 'update' satisfies RowChangeType, [...table.keys()]);
      } else if (kind === 'rowCount') callSet(one, t, table?.size ?? 0);
      else if (kind === 'hasTable') callSet(one, t, !!table);
      else if (kind === 'table' || kind === 'tableCellIds' || kind === 'rowIds') callSet(one, t);
      else {
        for (const r of idsFor(p1, () => (table ? [...table.keys()] : []))) {
          const row = table?.get(r);
          if (kind === 'hasRow') callSet(one, t, r, !!row);
          else if (kind === 'row' || kind === 'cellIds') callSet(one, t, r);
          else {
            for (const c of idsFor(p2, () => (row ? [...row.keys()] : []))) {
              if (kind === 'cell') callSet(one, t, r, c, row?.get(c), row?.get(c));
              else callSet(one, t, r, c, !!row?.has(c));
            }
          }
        }
      }
    }
  };

  // ---- schemas ---------------------------------------------------------------

  /** Re-validates every existing cell against the current schema, reporting what it drops. */
  const applyTablesSchema = (): void => {
    if (!tablesSchema) return;
    for (const [t, table] of tables) {
      for (const [r, row] of table) {
        for (const [c, cell] of row) {
          if (!cellOk(t, c, cell)) {
            badCell(t, r, c, cell);
            const fallback = cellSchemaOf(t, c)?.default;
            if (fallback !== undefined) setCellRaw(t, r, c, fallback);
            else delCellRaw(t, r, c);
          }
        }
        fillDefaults(t, r);
      }
    }
  };
  const applyValuesSchema = (): void => {
    if (!valuesSchema) return;
    for (const [v, value] of values) {
      if (!valueOk(v, value)) {
        badValue(v, value);
        const fallback = valuesSchema.get(v)?.default;
        if (fallback !== undefined) setValueRaw(v, fallback);
        else delValueRaw(v);
      }
    }
    fillValueDefaults();
  };

  // ---- the public object ---------------------------------------------------------

  const getRowMap = (t: IdLike, r: IdLike): RowMap | undefined => tables.get(toId(t))?.get(toId(r));

  // The listener adders are added below, from KIND_SPEC.
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
    getSortedRowIds: (t, cellId, descending = false, offset = 0, limit) =>
      sortedRowIds(toId(t), cellId == null ? undefined : toId(cellId), descending, offset, limit),
    getRow: (t, r) => {
      const row = getRowMap(t, r);
      return row ? rowToObject(row) : {};
    },
    getCellIds: (t, r) => [...(getRowMap(t, r)?.keys() ?? [])],
    getCell: (t, r, c) => getRowMap(t, r)?.get(toId(c)),
    getValues: () => rowToObject(values),
    getValueIds: () => [...values.keys()],
    getValue: (v) => values.get(toId(v)),

    hasTables: () => tables.size > 0,
    hasTable: (t) => tables.has(toId(t)),
    hasTableCell: (t, c) => !!cellCounts.get(toId(t))?.has(toId(c)),
    hasRow: (t, r) => !!tables.get(toId(t))?.has(toId(r)),
    hasCell: (t, r, c) => !!getRowMap(t, r)?.has(toId(c)),
    hasValues: () => values.size > 0,
    hasValue: (v) => values.has(toId(v)),

    setContent: (content) => write(setContentIn, content),
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
          typeof cell === 'function' ? cell(tables.get(tableId)?.get(rowId)?.get(cellId)) : cell,
        );
        fillDefaults(tableId, rowId);
      } finally {
        finishTransaction();
      }
      return store;
    },
    addRow: (t, row) => {
      const tableId = toId(t);
      if (!isObject(row) || !keysOf(row).length || !rowUsable(tableId, row)) {
        write(reportRow, tableId, '', row);
        return undefined;
      }
      const table = tables.get(tableId);
      let next = nextRowIds.get(tableId) ?? 0;
      while (table?.has(String(next))) next++;
      nextRowIds.set(tableId, next + 1);
      const rowId = String(next);
      write(setRowIn, tableId, rowId, row);
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
        typeof value === 'function' ? value(values.get(valueId)) : value,
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

    forEachTable: (callback) => {
      for (const t of tables.keys())
        callback(t, (rowCallback) => store.forEachRow(t, (r) => rowCallback(r)));
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
      if (row) for (const [c, cell] of row) callback(c, cell);
    },
    forEachValue: (callback) => {
      for (const [v, value] of values) callback(v, value);
    },

    getJson: () => JSON.stringify(store.getContent()),
    getTablesJson: () => JSON.stringify(store.getTables()),
    getValuesJson: () => JSON.stringify(store.getValues()),
    setJson: (json) => {
      let content: unknown;
      try {
        content = JSON.parse(json);
      } catch {
        return write(badCell, '', '', '', json);
      }
      return write(setContentIn, content);
    },

    setTablesSchema: (schema) => {
      if (!isObject(schema)) throw new TypeError('tablesSchema must be an object');
      const checked: Map<Id, CellSchemas> = new Map();
      const defaults: Map<Id, [Id, Cell][]> = new Map();
      for (const t of keysOf(schema)) {
        const cells = toCellSchemas(schema[t], `tablesSchema.${t}`);
        checked.set(t, cells);
        const tableDefaults = defaultsOf(cells);
        if (tableDefaults.length) defaults.set(t, tableDefaults);
      }
      tablesSchema = checked;
      tablesDefaults = defaults;
      return write(applyTablesSchema);
    },
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

    addSortedRowIdsListener: (t, cellId, descending, offset, limit, listener) => {
      const tableId = toId(t);
      const sortCellId = cellId == null ? undefined : toId(cellId);
      const sort = {
        cellId: sortCellId,
        descending: !!descending,
        offset: offset || 0,
        limit,
        last: [] as Id[],
      };
      sort.last = sortedRowIds(tableId, sort.cellId, sort.descending, sort.offset, limit);
      return addListener('sortedRowIds', [tableId], listener, sort);
    },
    delListener: (listenerId) => {
      const record = records.get(listenerId);
      if (record) {
        records.delete(listenerId);
        delFromTree(trees[record.kind as Kind], record.path, record);
      }
      return store;
    },
    callListener: (listenerId) => {
      const record = records.get(listenerId);
      if (record) {
        callListenerNow(record);
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
        // An exception in the actions rolls the whole transaction back, then propagates.
        finishTransaction(ok ? doRollback : () => true);
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
        );
    }
  }
  return store;
};
