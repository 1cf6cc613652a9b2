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
    let changedTable: Changes[0][string];
    for (const [r, rowLog] of tableLog.rows) {
      if (rowLog.had && !rowAfter(tables, next, t, r)) {
        changedTable ??= {};
        put(changedTable, r, undefined);
        continue;
      }
      let changedRow: NonNullable<Changes[0][string]>[string];
      if (rowLog.cells) {
        for (const [c, old] of rowLog.cells) {
          const cell = cellAfter(tables, next, t, r, c);
          if (cell !== old) {
            changedRow ??= {};
            put(changedRow, c, fromStored(cell));
          }
        }
      } else {
        for (const c of cellIdsAfter(tables, next, t, r)) {
          changedRow ??= {};
          put(changedRow, c, fromStored(cellAfter(tables, next, t, r, c)));
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
    if (value !== old) put(changedValues, v, fromStored(value));
  }
  return [changedTables, changedValues, 1];
};

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
const sub = <T>(obj: Record<string, T>, key: string, make: () => T): T => {
  if (!hasOwn(obj, key)) put(obj, key, make());
  return obj[key];
};
type Nested = Record<string, Record<string, Record<string, unknown>>>;
const at = (obj: Nested, t: Id, r: Id) =>
  sub(
    sub(obj, t, () => ({})),
    r,
    () => ({}),
  );

/** A Map of refused inputs as a plain object, down to the lists. */
const badToObject = (map: Map<Id, unknown> | undefined): Record<string, never> => {
  const obj: Record<string, unknown> = {};
  if (map)
    for (const [id, x] of map)
      put(obj, id, x instanceof Map ? badToObject(x) : [...(x as unknown[])]);
  return obj as Record<string, never>;
};

/** TinyBase's TransactionLog of the transaction logged in `log`. */
export const transactionLogOf = (
  tables: TablesMap,
  values: ValuesMap,
  log: TransactionLog,
  next: TransactionLog | undefined,
): PublicLog => {
  const cells: Nested = {};
  const tableIds: Record<string, 1 | -1> = {};
  const rowIds: Record<string, Record<string, 1 | -1>> = {};
  const cellIds: Nested = {};
  const changedValues: Record<string, unknown> = {};
  const valueIds: Record<string, 1 | -1> = {};
  for (const [t, tableLog] of log.tables) {
    const nextLog = tableLogAfter(next, t);
    const has = nextLog ? nextLog.had : tables.has(t);
    if (has !== tableLog.had) put(tableIds, t, has ? 1 : -1);
    for (const [r, rowLog] of tableLog.rows) {
      const hasRow = rowAfter(tables, next, t, r);
      if (hasRow !== rowLog.had)
        put(
          sub(rowIds, t, () => ({})),
          r,
          hasRow ? 1 : -1,
        );
      for (const c of rowLog.cells ? rowLog.cells.keys() : cellIdsAfter(tables, next, t, r)) {
        const old = rowLog.cells?.get(c);
        const now = cellAfter(tables, next, t, r, c);
        if (old !== now) {
          put(at(cells, t, r), c, [fromStored(old), fromStored(now)]);
          if ((old === undefined) !== (now === undefined))
            put(at(cellIds, t, r), c, now === undefined ? -1 : 1);
        }
      }
    }
  }
  for (const [v, old] of log.values) {
    const now = valueAfter(values, next, v);
    if (old !== now) {
      put(changedValues, v, [fromStored(old), fromStored(now)]);
      if ((old === undefined) !== (now === undefined)) put(valueIds, v, now === undefined ? -1 : 1);
    }
  }
  return [
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
  ] as PublicLog;
};
