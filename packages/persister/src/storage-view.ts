// What storage holds while the persister applies it to the store: a cell the
// transaction changed to anything else was written by a user's listener in
// reaction (a derived cell, say), so it is a local change to save.
import type {Cell, Changes, Content} from '@x/store';
import {canonicalJson} from './canonical-json';

/** Storage's say on one cell or value; `unknown` when storage did not mention it. */
export type StorageView = {
  cell(tableId: string, rowId: string, cellId: string): Cell | undefined | typeof UNKNOWN;
  value(valueId: string): Cell | undefined | typeof UNKNOWN;
};

export const UNKNOWN: unique symbol = Symbol('unknown');

/** Cells compared by value: JSON objects and arrays are cells too. */
export const sameCell = (a: unknown, b: unknown): boolean =>
  a === b ||
  (typeof a === 'object' &&
    typeof b === 'object' &&
    a !== null &&
    b !== null &&
    canonicalJson(a) === canonicalJson(b));

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
