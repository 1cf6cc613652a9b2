// The store keeps its data in Maps all the way down, so any string is a safe id;
// getters turn them into plain objects (objects and arrays parsed afresh, see objects.ts).
import {fromStored, put, type Stored} from './objects';
import type {Id, Row, Table, Tables, Values} from './types';

export type RowMap = Map<Id, Stored>;
export type TableMap = Map<Id, RowMap>;
export type TablesMap = Map<Id, TableMap>;
export type ValuesMap = Map<Id, Stored>;
/** tableId -> cellId -> number of rows having that cell (for table cell ids). */
export type CellCounts = Map<Id, Map<Id, number>>;

/** A row, or the values, as a plain object. */
export const rowToObject: {(row: RowMap): Row; (values: ValuesMap): Values} = (
  map: Map<Id, Stored>,
) => {
  const obj: Row = {};
  for (const [id, cell] of map) put(obj, id, fromStored(cell));
  return obj;
};

export const tableToObject = (table: TableMap): Table => {
  const obj: Table = {};
  for (const [rowId, row] of table) put(obj, rowId, rowToObject(row));
  return obj;
};

export const tablesToObject = (tables: TablesMap): Tables => {
  const obj: Tables = {};
  for (const [t, table] of tables) put(obj, t, tableToObject(table));
  return obj;
};
