// The state right after a finished transaction, and its net changes.
// While a finished transaction's listeners run, listeners may already have written
// (a follow-up transaction, logged in `next`). That log holds the values as they were
// when the finished transaction ended, so it is consulted before the live data.
import type {TablesMap, ValuesMap} from './dataMaps';
import {put} from './objects';
import type {RowLog, TableLog, TransactionLog} from './transactionLog';
import type {Cell, Changes, Id, Value} from './types';

/** The follow-up transaction's log of a row: its state after the finished one. */
const rowLogAfter = (next: TransactionLog | undefined, t: Id, r: Id): RowLog | undefined =>
  next?.tables.size ? next.tables.get(t)?.rows.get(r) : undefined;

export const cellAfter = (
  tables: TablesMap,
  next: TransactionLog | undefined,
  t: Id,
  r: Id,
  c: Id,
): Cell | undefined => {
  const rowLog = rowLogAfter(next, t, r);
  if (rowLog) {
    if (!rowLog.cells) return undefined;
    if (rowLog.cells.has(c)) return rowLog.cells.get(c);
  }
  return tables.get(t)?.get(r)?.get(c);
};

/** The cell ids a row had after the transaction (for rows that the transaction created). */
export const cellIdsAfter = (
  tables: TablesMap,
  next: TransactionLog | undefined,
  t: Id,
  r: Id,
): Id[] => {
  // A copy: listeners may write to the row while the caller iterates.
  const rowLog = rowLogAfter(next, t, r);
  const live = tables.get(t)?.get(r);
  if (rowLog && !rowLog.cells) return []; // the row did not exist after the transaction
  if (!rowLog?.cells) return live ? [...live.keys()] : [];
  // A later write logged the cells it touched with their value after this transaction.
  const {cells} = rowLog;
  const ids: Id[] = [];
  if (live) for (const c of live.keys()) if (!cells.has(c)) ids.push(c);
  for (const [c, old] of cells) if (old !== undefined) ids.push(c);
  return ids;
};

export const rowAfter = (
  tables: TablesMap,
  next: TransactionLog | undefined,
  t: Id,
  r: Id,
): boolean => {
  const rowLog = rowLogAfter(next, t, r);
  return rowLog ? rowLog.had : !!tables.get(t)?.has(r);
};

/** The follow-up transaction's log of a table: its state after the finished one. */
export const tableLogAfter = (next: TransactionLog | undefined, t: Id): TableLog | undefined =>
  next?.tables.size ? next.tables.get(t) : undefined;

export const valueAfter = (
  values: ValuesMap,
  next: TransactionLog | undefined,
  v: Id,
): Value | undefined => (next?.values.has(v) ? next.values.get(v) : values.get(v));

/** The net changes of the transaction logged in `log` (deleted tables and rows as a whole). */
export const changesOf = (
  tables: TablesMap,
  values: ValuesMap,
  log: TransactionLog,
  next: TransactionLog | undefined,
): Changes => {
  const changedTables: Changes[0] = {};
  const changedValues: Changes[1] = {};
  for (const [t, tableLog] of log.tables) {
    const nextLog = tableLogAfter(next, t);
    if (tableLog.had && !(nextLog ? nextLog.had : tables.has(t))) {
      put(changedTables, t, undefined);
      continue;
    }
    let changedTable: Record<string, Record<string, Cell | undefined> | undefined> | undefined;
    for (const [r, rowLog] of tableLog.rows) {
      if (rowLog.had && !rowAfter(tables, next, t, r)) {
        changedTable ??= {};
        put(changedTable, r, undefined);
        continue;
      }
      let changedRow: Record<string, Cell | undefined> | undefined;
      if (rowLog.cells) {
        for (const [c, old] of rowLog.cells) {
          const cell = cellAfter(tables, next, t, r, c);
          if (cell !== old) {
            changedRow ??= {};
            put(changedRow, c, cell);
          }
        }
      } else {
        for (const c of cellIdsAfter(tables, next, t, r)) {
          changedRow ??= {};
          put(changedRow, c, cellAfter(tables, next, t, r, c));
        }
      }
      if (changedRow) {
        changedTable ??= {};
        put(changedTable, r, changedRow);
      }
    }
    if (changedTable) put(changedTables, t, changedTable);
  }
  for (const [v, old] of log.values) {
    const value = valueAfter(values, next, v);
    if (value !== old) put(changedValues, v, value);
  }
  return [changedTables, changedValues, 1];
};
