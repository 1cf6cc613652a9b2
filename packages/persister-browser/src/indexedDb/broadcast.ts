// What one tab tells the others after a write: the rows, table or values that
// changed, that everything was cleared, a whole save's steps at once, or the
// whole new content of a full save. Receivers turn it into Changes (or a
// Content to replace with) for their own store, without re-reading the database.
import type {Changes, Content, Row, Store, Value} from '@x/store';
import {setOwn} from '../setOwn';

/** One write's effect: see IdbMessage. */
export type IdbStepMessage =
  | {kind: 'rows'; tableId: string; rows: {[rowId: string]: Row | undefined}}
  | {kind: 'table'; tableId: string}
  | {kind: 'values'; values: {[valueId: string]: Value | undefined}}
  | {kind: 'clear'};

/**
 * `rows` holds whole rows (a row replaces the stored one) or `undefined` for a
 * deleted row; `table` deletes a whole table; `values` holds values or
 * `undefined` for a deleted value (`null` is a value); `clear` deletes
 * everything. `batch` is one incremental save's steps, in order, applied as one
 * change; `content` is a full save: replace everything with it. Each message is
 * sent once its transaction committed, one message per transaction, so another
 * tab's store goes from one committed state to the next, never through a
 * partial one. BroadcastChannel's structured clone keeps `undefined` entries.
 */
export type IdbMessage =
  | IdbStepMessage
  | {kind: 'batch'; messages: IdbStepMessage[]}
  | {kind: 'content'; content: Content};

/** The name of the channel shared by every persister on `dbName`, in any tab. */
export const channelName = (dbName: string) => `@x/persister-browser/indexeddb:${dbName}`;

const isObject = (value: unknown): value is {[key: string]: unknown} =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

type ChangedTables = Changes[0];

/**
 * Adds `next` (the Changes of a later step) to `into`. A row in `next` is
 * complete (a whole-row replacement or a deletion), so it replaces the earlier
 * entry. Rows written to a table deleted earlier in the batch: every row the
 * store has there goes, then those rows come.
 */
const mergeChanges = (into: Changes, next: Changes, store: Store): void => {
  const [intoTables, intoValues] = into;
  for (const [tableId, nextTable] of Object.entries(next[0])) {
    const hadEntry = Object.hasOwn(intoTables, tableId);
    const earlier = hadEntry ? intoTables[tableId] : undefined;
    if (nextTable === undefined) {
      setOwn<ChangedTables[string]>(intoTables, tableId, undefined);
      continue;
    }
    const table: NonNullable<ChangedTables[string]> = {};
    if (hadEntry && earlier === undefined) {
      for (const rowId of store.getRowIds(tableId)) setOwn(table, rowId, undefined);
    }
    for (const [rowId, row] of Object.entries(earlier ?? {})) setOwn(table, rowId, row);
    for (const [rowId, row] of Object.entries(nextTable)) setOwn(table, rowId, row);
    setOwn<ChangedTables[string]>(intoTables, tableId, table);
  }
  for (const [valueId, value] of Object.entries(next[1])) setOwn(intoValues, valueId, value);
};

/**
 * Turns a message from another tab into what the persister's listener takes:
 * `content` (replace, for a full save) or `changes` (merge); throws on a
 * malformed message. The core validates the content and the cells.
 */
export const messageToNotification = (
  message: unknown,
  store: Store,
): {content?: Content; changes?: Changes} => {
  if (isObject(message) && message.kind === 'content') {
    const {content} = message;
    if (!Array.isArray(content) || content.length !== 2) {
      throw new TypeError('IndexedDB broadcast: malformed content message');
    }
    return {content: content as Content};
  }
  return {changes: messageToChanges(message, store)};
};

/** Turns a step or batch message from another tab into Changes for `store`; throws on a malformed one. */
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
    case 'batch': {
      const {messages} = message;
      if (!Array.isArray(messages)) {
        throw new TypeError('IndexedDB broadcast: malformed batch message');
      }
      const merged: Changes = [tables, values, 1];
      for (const step of messages) {
        if (isObject(step) && (step.kind === 'batch' || step.kind === 'content')) {
          throw new TypeError('IndexedDB broadcast: malformed batch message');
        }
        mergeChanges(merged, messageToChanges(step, store), store);
      }
      break;
    }
    default:
      throw new TypeError(`IndexedDB broadcast: unknown message kind ${String(message.kind)}`);
  }
  return [tables, values, 1];
};
