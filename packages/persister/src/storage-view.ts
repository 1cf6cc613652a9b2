// What storage holds while the persister applies it to the store: a cell the
// transaction changed to anything else was written by a user's listener in
// reaction (a derived cell, say), so it is a local change to save.
import type {Cell, Changes, Content} from '@x/store';
import {setOwn} from './own-property';
import type {PendingChanges} from './pending-changes';

/** Storage's say on one cell or value; `unknown` when storage did not mention it. */
export type StorageView = {
  cell(tableId: string, rowId: string, cellId: string): Cell | undefined | typeof UNKNOWN;
  value(valueId: string): Cell | undefined | typeof UNKNOWN;
};

export const UNKNOWN: unique symbol = Symbol('unknown');

const own = <T>(object: {[key: string]: T} | undefined, key: string): T | undefined =>
  object !== undefined && Object.hasOwn(object, key) ? object[key] : undefined;

/** Storage holds exactly `content`. */
export const contentView = ([tables, values]: Content): StorageView => ({
  cell: (tableId, rowId, cellId) => own(own(own(tables, tableId), rowId), cellId),
  value: (valueId) => own(values, valueId),
});

/** Storage changed by `changes`; anything else it did not mention. */
export const changesView = ([tables, values]: Changes): StorageView => ({
  cell: (tableId, rowId, cellId) => {
    if (!Object.hasOwn(tables, tableId)) return UNKNOWN;
    const table = tables[tableId];
    if (table === undefined) return undefined;
    if (!Object.hasOwn(table, rowId)) return UNKNOWN;
    const row = table[rowId];
    if (row === undefined) return undefined;
    return Object.hasOwn(row, cellId) ? row[cellId] : UNKNOWN;
  },
  value: (valueId) => (Object.hasOwn(values, valueId) ? values[valueId] : UNKNOWN),
});

/**
 * The cells and values of a transaction that applied storage which differ from
 * what storage holds and are not pending already (those were put back on
 * purpose). Whole-table and whole-row deletions are storage's.
 */
export const listenerWrites = (
  [tables, values]: Changes,
  view: StorageView,
  pending: PendingChanges,
): Changes => {
  const writtenTables: Changes[0] = {};
  for (const [tableId, table] of Object.entries(tables)) {
    if (table === undefined) continue;
    for (const [rowId, row] of Object.entries(table)) {
      if (row === undefined) continue;
      for (const [cellId, cell] of Object.entries(row)) {
        if (pending.hasCell(tableId, rowId, cellId) || view.cell(tableId, rowId, cellId) === cell)
          continue;
        if (!Object.hasOwn(writtenTables, tableId)) setOwn(writtenTables, tableId, {});
        const writtenTable = writtenTables[tableId]!;
        if (!Object.hasOwn(writtenTable, rowId)) setOwn(writtenTable, rowId, {});
        setOwn(writtenTable[rowId]!, cellId, cell);
      }
    }
  }
  const writtenValues: Changes[1] = {};
  for (const [valueId, value] of Object.entries(values)) {
    if (!pending.hasValue(valueId) && view.value(valueId) !== value)
      setOwn(writtenValues, valueId, value);
  }
  return [writtenTables, writtenValues, 1];
};
