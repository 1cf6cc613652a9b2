// The state right after a finished transaction, and its net changes.
// While a finished transaction's listeners run, listeners may already have written
// (a follow-up transaction, logged in `next`). That log holds the values as they were
// when the finished transaction ended, so it is consulted before the live data.
import type {TablesMap, ValuesMap} from './dataMaps';
import {fromStored, hasOwn, put, type Stored} from './objects';
import type {RowLog, TableLog, TransactionLog} from './transactionLog';
import type {CellChange, Changes, Id, TransactionLog as PublicLog, ValueChange} from './types';

/** The follow-up transaction's log of a row: its state after the finished one. */
const rowLogAfter = (next: TransactionLog | undefined, t: Id, r: Id): RowLog | undefined =>
  next?.tables.size ? next.tables.get(t)?.rows.get(r) : undefined;

export const cellAfter = (
  tables: TablesMap,
  next: TransactionLog | undefined,
  t: Id,
  r: Id,
  c: Id,
): Stored | undefined => {
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
): Stored | undefined => (next?.values.has(v) ? next.values.get(v) : values.get(v));

/** What getCellChange reports: whether the cell changed, its old and its new state. */
export const cellChange = (
  tables: TablesMap,
  log: TransactionLog,
  next: TransactionLog | undefined,
  t: Id,
  r: Id,
  c: Id,
): CellChange => {
  const rowLog = log.tables.get(t)?.rows.get(r);
  const after = cellAfter(tables, next, t, r, c);
  const old = rowLog?.cells?.has(c)
    ? rowLog.cells.get(c)
    : rowLog?.had === false
      ? undefined
      : after;
  return [old !== after, fromStored(old), fromStored(after)];
};

export const valueChange = (
  values: ValuesMap,
  log: TransactionLog,
  next: TransactionLog | undefined,
  v: Id,
): ValueChange => {
  const after = valueAfter(values, next, v);
  const old = log.values.has(v) ? log.values.get(v) : after;
  return [old !== after, fromStored(old), fromStored(after)];
};

/** The object under `key`, created when missing. */
const sub = (obj: Record<string, unknown>, key: string): Record<string, unknown> => {
  if (!hasOwn(obj, key)) put(obj, key, {});
  return obj[key] as Record<string, unknown>;
};

/** A Map of refused inputs as a plain object, down to the lists. */
const badToObject = (map: Map<Id, unknown> | undefined): Record<string, never> => {
  const obj: Record<string, unknown> = {};
  if (map)
    for (const [id, x] of map)
      put(obj, id, x instanceof Map ? badToObject(x) : [...(x as unknown[])]);
  return obj as Record<string, never>;
};

/**
 * The net changes of the transaction logged in `log` (deleted tables and rows as a
 * whole), or with `asLog` TinyBase's TransactionLog of it: cells and values as
 * `[old, new]`, refused inputs, and ids added (1) or removed (-1).
 */
export const changesOf: {
  (
    tables: TablesMap,
    values: ValuesMap,
    log: TransactionLog,
    next: TransactionLog | undefined,
  ): Changes;
  (
    tables: TablesMap,
    values: ValuesMap,
    log: TransactionLog,
    next: TransactionLog | undefined,
    asLog: true,
  ): PublicLog;
} = (
  tables: TablesMap,
  values: ValuesMap,
  log: TransactionLog,
  next: TransactionLog | undefined,
  asLog?: true,
): never => {
  const cells: Record<string, unknown> = {};
  const tableIds: Record<string, unknown> = {};
  const rowIds: Record<string, unknown> = {};
  const cellIds: Record<string, unknown> = {};
  const changedValues: Record<string, unknown> = {};
  const valueIds: Record<string, unknown> = {};
  const change = (old: Stored | undefined, now: Stored | undefined) =>
    asLog ? [fromStored(old), fromStored(now)] : fromStored(now);
  const sign = (gone: boolean) => (gone ? -1 : 1);
  for (const [t, tableLog] of log.tables) {
    const nextLog = tableLogAfter(next, t);
    const has = nextLog ? nextLog.had : tables.has(t);
    if (has !== tableLog.had) {
      put(tableIds, t, sign(!has));
      if (!has && !asLog) {
        put(cells, t, undefined);
        continue;
      }
    }
    for (const [r, rowLog] of tableLog.rows) {
      const hasRow = rowAfter(tables, next, t, r);
      if (hasRow !== rowLog.had) {
        put(sub(rowIds, t), r, sign(!hasRow));
        if (!hasRow && !asLog) {
          put(sub(cells, t), r, undefined);
          continue;
        }
      }
      for (const c of rowLog.cells ? [...rowLog.cells.keys()] : cellIdsAfter(tables, next, t, r)) {
        const old = rowLog.cells?.get(c);
        const now = cellAfter(tables, next, t, r, c);
        if (old !== now) {
          put(sub(sub(cells, t), r), c, change(old, now));
          if ((old === undefined) !== (now === undefined))
            put(sub(sub(cellIds, t), r), c, sign(now === undefined));
        }
      }
    }
  }
  for (const [v, old] of log.values) {
    const now = valueAfter(values, next, v);
    if (old !== now) {
      put(changedValues, v, change(old, now));
      if ((old === undefined) !== (now === undefined)) put(valueIds, v, sign(now === undefined));
    }
  }
  return (
    asLog
      ? [
          log.tables.size > 0,
          log.values.size > 0,
          cells,
          badToObject(log.badCells),
          changedValues,
          badToObject(log.badValues),
          tableIds,
          rowIds,
          cellIds,
          valueIds,
        ]
      : [cells, changedValues, 1]
  ) as never;
};
