// What one tab tells the others after a write: the rows, table or values that
// changed, or that everything was cleared. Receivers turn it into Changes
// against their own store, so they apply it without re-reading the database.
import type {Changes, Row, Store, Value} from '@x/store';
import {setOwn} from '../setOwn';

/**
 * `rows` holds whole rows (a row replaces the stored one) or `undefined` for a
 * deleted row; `table` deletes a whole table; `values` holds values or
 * `undefined` for a deleted value (`null` is a value); `clear` deletes
 * everything. BroadcastChannel's structured clone keeps `undefined` entries.
 */
export type IdbMessage =
  | {kind: 'rows'; tableId: string; rows: {[rowId: string]: Row | undefined}}
  | {kind: 'table'; tableId: string}
  | {kind: 'values'; values: {[valueId: string]: Value | undefined}}
  | {kind: 'clear'};

/** The name of the channel shared by every persister on `dbName`, in any tab. */
export const channelName = (dbName: string) => `@x/persister-browser/indexeddb:${dbName}`;

const isObject = (value: unknown): value is {[key: string]: unknown} =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Turns a message from another tab into Changes for `store`; throws on a malformed one. */
export const messageToChanges = (message: unknown, store: Store): Changes => {
  const tables: Changes[0] = {};
  const values: Changes[1] = {};
  if (!isObject(message)) {
    throw new TypeError('IndexedDB broadcast: message is not an object');
  }
  switch (message.kind) {
    case 'rows': {
      const {tableId, rows} = message;
      if (typeof tableId !== 'string' || !isObject(rows)) {
        throw new TypeError('IndexedDB broadcast: malformed rows message');
      }
      const table: {[rowId: string]: {[cellId: string]: Row[string] | undefined} | undefined} = {};
      for (const [rowId, row] of Object.entries(rows)) {
        if (row === undefined) {
          setOwn(table, rowId, undefined);
          continue;
        }
        if (!isObject(row)) {
          throw new TypeError('IndexedDB broadcast: malformed row');
        }
        // A put replaces the whole row: cells this store has and the row lacks go.
        const cells: {[cellId: string]: Row[string] | undefined} = {};
        for (const cellId of store.getCellIds(tableId, rowId)) {
          setOwn(cells, cellId, undefined);
        }
        for (const [cellId, cell] of Object.entries(row)) {
          setOwn(cells, cellId, cell as Row[string]);
        }
        setOwn(table, rowId, cells);
      }
      setOwn(tables, tableId, table);
      break;
    }
    case 'table': {
      if (typeof message.tableId !== 'string') {
        throw new TypeError('IndexedDB broadcast: malformed table message');
      }
      setOwn(tables, message.tableId, undefined);
      break;
    }
    case 'values': {
      if (!isObject(message.values)) {
        throw new TypeError('IndexedDB broadcast: malformed values message');
      }
      for (const [valueId, value] of Object.entries(message.values)) {
        setOwn(values, valueId, value as Value | undefined);
      }
      break;
    }
    case 'clear': {
      for (const tableId of store.getTableIds()) {
        setOwn(tables, tableId, undefined);
      }
      for (const valueId of store.getValueIds()) {
        setOwn(values, valueId, undefined);
      }
      break;
    }
    default:
      throw new TypeError(`IndexedDB broadcast: unknown message kind ${String(message.kind)}`);
  }
  return [tables, values, 1];
};
