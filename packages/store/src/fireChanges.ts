// The listeners of a finished transaction, in the documented order: invalid input, then
// table by table (cells, rows, the table), then tables, then values. Each fires only when
// what it watches differs between the start and the end of the transaction.
import type {CellCounts, TablesMap, ValuesMap} from './dataMaps';
import type {ListenerTrees} from './listenerKinds';
import type {CallSet, ListenerRecord, Tree} from './listenerTree';
import {
  cellAfter,
  cellChange,
  cellIdsAfter,
  rowAfter,
  tableLogAfter,
  valueAfter,
  valueChange,
} from './netChanges';
import {fromStored, idOrNull, keysOf, put} from './objects';
import {fireSortedRowIds} from './sortedRowIdsListeners';
import type {TransactionLog} from './transactionLog';
import type {GetCellChange, GetIdChanges, GetValueChange, Id, IdLike} from './types';

/** Ids added (1) or removed (-1) by a transaction, and the getIdChanges that hands out copies. */
type IdChanges = Record<Id, 1 | -1>;
const getter =
  (changes: IdChanges): GetIdChanges =>
  () => ({...changes});

/** Calls the invalid and data listeners of a finished transaction (`next`: the follow-up's log). */
export type FireChanges = (log: TransactionLog, next: TransactionLog) => void;

/**
 * The dispatcher of a store's finished transactions.
 *
 * Row-level change events (addRowChangesListener) come last for each table: one call per
 * type, in the order create, update, delete/clear, each with every affected row.
 * - create: the row did not exist before the transaction and exists after it;
 * - update: it existed before and after and some cell changed (an overwrite is an update);
 * - delete: it existed before and not after, and its table still exists;
 * - clear: the table existed before and not after: all its rows, instead of delete.
 * A row created and deleted in one transaction changed nothing, so it is never reported.
 */
export const createFireChanges = (
  tables: TablesMap,
  values: ValuesMap,
  cellCounts: CellCounts,
  trees: ListenerTrees,
  callSet: CallSet,
): FireChanges => {
  // fire(tree, n, ...args) calls the listeners of a tree whose paths are n ids deep (the
  // first n args), exact ids before wildcards at each level, passing all the args.
  const callAll = callSet as (set: unknown, ...args: unknown[]) => void;
  // (Arguments passed one by one, not as an array: nothing is allocated per call.)
  const walk = (
    node: Tree | undefined,
    depth: number,
    n: number,
    a?: unknown,
    b?: unknown,
    c?: unknown,
    d?: unknown,
    e?: unknown,
    f?: unknown,
  ): void => {
    if (node) {
      if (depth < n) {
        const id = (depth ? (depth > 1 ? c : b) : a) as Id;
        walk(node.get(id) as Tree, depth + 1, n, a, b, c, d, e, f);
        walk(node.get(null) as Tree, depth + 1, n, a, b, c, d, e, f);
      } else callAll(node, a, b, c, d, e, f);
    }
  };
  const fire = (
    tree: Tree,
    n: number,
    a?: unknown,
    b?: unknown,
    c?: unknown,
    d?: unknown,
    e?: unknown,
    f?: unknown,
  ): void => {
    if (tree.size) walk(tree, 0, n, a, b, c, d, e, f);
  };
  const fire0 = (tree: Tree, a?: unknown): void => {
    if (tree.size) callSet(tree.get(null), a);
  };
  const {
    tables: onTables,
    tableIds: onTableIds,
    table: onTable,
    tableCellIds: onTableCellIds,
    hasTableCell: onHasTableCell,
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
    rowChanges: onRowChanges,
  } = trees;

  const fireInvalid = (log: TransactionLog): void => {
    if (log.badCells) {
      for (const [t, byRow] of log.badCells) {
        for (const [r, byCell] of byRow)
          for (const [c, inputs] of byCell) fire(onInvalidCell, 3, t, r, c, inputs);
      }
    }
    if (log.badValues) for (const [v, inputs] of log.badValues) fire(onInvalidValue, 1, v, inputs);
  };

  const fireData = (log: TransactionLog, next: TransactionLog): void => {
    // Listeners may call these while the transaction's listeners run.
    const getCellChange: GetCellChange = (t: IdLike, r: IdLike, c: IdLike) =>
      cellChange(tables, log, next, idOrNull(t)!, idOrNull(r)!, idOrNull(c)!);
    const getValueChange: GetValueChange = (v: IdLike) =>
      valueChange(values, log, next, idOrNull(v)!);
    let tablesChanged = false;
    const tableIds: IdChanges | undefined = onTableIds.size ? {} : undefined;
    for (const [t, tableLog] of log.tables) {
      let tableChanged = false;
      const rowIds: IdChanges | undefined = onRowIds.size ? {} : undefined;
      let rowIdsChanged = false;
      // Row changes (see below), collected only while someone listens.
      let created: Id[] | undefined;
      let updated: Id[] | undefined;
      let deleted: Id[] | undefined;
      for (const [r, rowLog] of tableLog.rows) {
        let rowChanged = false;
        const cellIds: IdChanges | undefined = onCellIds.size ? {} : undefined;
        let cellIdsChanged = false;
        // Live data is the state after the transaction as long as no listener wrote.
        const liveRow = tables.get(t)?.get(r);
        if (rowLog.cells) {
          for (const [c, old] of rowLog.cells) {
            const cell = next.tables.size ? cellAfter(tables, next, t, r, c) : liveRow?.get(c);
            if (cell !== old) {
              rowChanged = true;
              if (onCell.size)
                fire(onCell, 3, t, r, c, fromStored(cell), fromStored(old), getCellChange);
              if ((cell === undefined) !== (old === undefined)) {
                cellIdsChanged = true;
                if (cellIds) put(cellIds, c, cell === undefined ? -1 : 1);
                fire(onHasCell, 3, t, r, c, cell !== undefined);
              }
            }
          }
        } else {
          // A row the transaction created: every cell it has now is new.
          rowChanged = cellIdsChanged = rowAfter(tables, next, t, r);
          if (rowChanged && (onCell.size || onHasCell.size || cellIds)) {
            for (const c of cellIdsAfter(tables, next, t, r)) {
              if (cellIds) put(cellIds, c, 1);
              fire(
                onCell,
                3,
                t,
                r,
                c,
                fromStored(cellAfter(tables, next, t, r, c)),
                undefined,
                getCellChange,
              );
              fire(onHasCell, 3, t, r, c, true);
            }
          }
        }
        if (rowChanged) {
          tableChanged = true;
          if (cellIdsChanged) fire(onCellIds, 2, t, r, cellIds && getter(cellIds));
          fire(onRow, 2, t, r, getCellChange);
          const has = rowAfter(tables, next, t, r);
          if (has !== rowLog.had) {
            rowIdsChanged = true;
            if (rowIds) put(rowIds, r, has ? 1 : -1);
            fire(onHasRow, 2, t, r, has);
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
        if (tableLog.ids && (onTableCellIds.size || onHasTableCell.size)) {
          const cellIds: IdChanges = {};
          let changed = false;
          for (const [c, before] of tableLog.ids) {
            const after = nextLog?.ids?.has(c) ? nextLog.ids.get(c)! : !!cellCounts.get(t)?.has(c);
            if (after !== before) {
              changed = true;
              put(cellIds, c, after ? 1 : -1);
              fire(onHasTableCell, 2, t, c, after);
            }
          }
          if (changed) fire(onTableCellIds, 1, t, getter(cellIds));
        }
        if (rowIdsChanged) {
          fire(onRowIds, 1, t, rowIds && getter(rowIds));
          const count = nextLog ? nextLog.count : (tables.get(t)?.size ?? 0);
          if (count !== tableLog.count) fire(onRowCount, 1, t, count);
        }
        if (onSortedRowIds.size) {
          const set = onSortedRowIds.get(t) as Set<ListenerRecord> | undefined;
          if (set) fireSortedRowIds(tables, callSet, set, t);
        }
        fire(onTable, 1, t, getCellChange);
        const has = nextLog ? nextLog.had : tables.has(t);
        if (has !== tableLog.had) {
          if (tableIds) put(tableIds, t, has ? 1 : -1);
          fire(onHasTable, 1, t, has);
        }
        if (created) fire(onRowChanges, 1, t, 'create', created);
        if (updated) fire(onRowChanges, 1, t, 'update', updated);
        if (deleted) fire(onRowChanges, 1, t, tableLog.had && !has ? 'clear' : 'delete', deleted);
      }
    }
    if (tableIds && keysOf(tableIds).length) fire0(onTableIds, getter(tableIds));
    if (tablesChanged) fire0(onTables, getCellChange);
    if (log.tables.size) {
      const has = next.tables.size ? next.hadTables : tables.size > 0;
      if (has !== log.hadTables) fire0(onHasTables, has);
    }

    let valuesChanged = false;
    let valueIdsChanged = false;
    const valueIds: IdChanges = {};
    for (const [v, old] of log.values) {
      const value = valueAfter(values, next, v);
      if (value !== old) {
        valuesChanged = true;
        if (onValue.size) fire(onValue, 1, v, fromStored(value), fromStored(old), getValueChange);
        if ((value === undefined) !== (old === undefined)) {
          valueIdsChanged = true;
          put(valueIds, v, value === undefined ? -1 : 1);
          fire(onHasValue, 1, v, value !== undefined);
        }
      }
    }
    if (valueIdsChanged) fire0(onValueIds, getter(valueIds));
    if (valuesChanged) fire0(onValues, getValueChange);
    if (log.values.size) {
      const has = next.values.size ? next.hadValues : values.size > 0;
      if (has !== log.hadValues) fire0(onHasValues, has);
    }
  };

  return (log, next) => {
    fireInvalid(log);
    fireData(log, next);
  };
};
