// Local changes not yet persisted, kept as the set of ids that changed (not
// their values): the store always holds the local truth, so a save reads the
// current values, and a load can put them back on top of what it loaded.
import type {Cell, Changes, Id, Row, Store, Table} from '@x/store';
import {setOwn} from './own-property';

/** A row whose every cell changed (deleted, maybe re-created) is `wiped`. */
type PendingRow = {wiped: boolean; cells: Set<Id>};
/** A table that was deleted as a whole (maybe re-created) is `wiped`. */
type PendingTable = {wiped: boolean; rows: Map<Id, PendingRow>};

/** The local values of the pending ids, taken before a load replaces them. */
export type LocalSnapshot = {
  tables: [tableId: Id, table: Table | undefined][];
  rows: [tableId: Id, rowId: Id, row: Row | undefined][];
  cells: [tableId: Id, rowId: Id, cellId: Id, cell: Cell | undefined][];
  values: [valueId: Id, value: Cell | undefined][];
};

export class PendingChanges {
  private readonly tables = new Map<Id, PendingTable>();
  private readonly values = new Set<Id>();

  private tableFor(tableId: Id): PendingTable {
    let table = this.tables.get(tableId);
    if (!table) {
      table = {wiped: false, rows: new Map()};
      this.tables.set(tableId, table);
    }
    return table;
  }

  /** True when the cell is pending (itself, or its whole row or table). */
  hasCell(tableId: Id, rowId: Id, cellId: Id): boolean {
    const table = this.tables.get(tableId);
    if (!table) return false;
    if (table.wiped) return true;
    const row = table.rows.get(rowId);
    return row !== undefined && (row.wiped || row.cells.has(cellId));
  }

  hasValue(valueId: Id): boolean {
    return this.values.has(valueId);
  }

  isEmpty(): boolean {
    return this.tables.size === 0 && this.values.size === 0;
  }

  /** Records the ids a transaction changed. */
  addChanges([changedTables, changedValues]: Changes): void {
    for (const tableId of Object.keys(changedTables)) {
      const changedTable = changedTables[tableId];
      if (changedTable === undefined) {
        this.tables.set(tableId, {wiped: true, rows: new Map()});
        continue;
      }
      const table = this.tableFor(tableId);
      if (table.wiped) continue;
      for (const rowId of Object.keys(changedTable)) {
        const changedRow = changedTable[rowId];
        if (changedRow === undefined) {
          table.rows.set(rowId, {wiped: true, cells: new Set()});
          continue;
        }
        const row = rowFor(table, rowId);
        if (row.wiped) continue;
        for (const cellId of Object.keys(changedRow)) row.cells.add(cellId);
      }
    }
    for (const valueId of Object.keys(changedValues)) this.values.add(valueId);
  }

  /** Adds every id of `other` (a save that failed puts its ids back). */
  merge(other: PendingChanges): void {
    for (const [tableId, otherTable] of other.tables) {
      if (otherTable.wiped) {
        this.tables.set(tableId, {wiped: true, rows: new Map()});
        continue;
      }
      const table = this.tableFor(tableId);
      if (table.wiped) continue;
      for (const [rowId, otherRow] of otherTable.rows) {
        if (otherRow.wiped) {
          table.rows.set(rowId, {wiped: true, cells: new Set()});
          continue;
        }
        const row = rowFor(table, rowId);
        if (row.wiped) continue;
        for (const cellId of otherRow.cells) row.cells.add(cellId);
      }
    }
    for (const valueId of other.values) this.values.add(valueId);
  }

  /**
   * True when `Changes` cannot say what happened: a table or row that was
   * deleted as a whole and then written again. Storage may still hold cells
   * that nobody knows the ids of any more, so only a full save is exact.
   */
  needsFullSave(store: Store): boolean {
    for (const [tableId, table] of this.tables) {
      if (table.wiped) {
        if (store.hasTable(tableId)) return true;
        continue;
      }
      for (const [rowId, row] of table.rows) {
        if (row.wiped && store.hasRow(tableId, rowId)) return true;
      }
    }
    return false;
  }

  /**
   * The net changes that bring storage (the store minus these changes) to the
   * store, read from the store now. Valid when `needsFullSave` is false.
   */
  toChanges(store: Store): Changes {
    const changedTables: Changes[0] = {};
    for (const [tableId, table] of this.tables) {
      if (!store.hasTable(tableId)) {
        setOwn(changedTables, tableId, undefined);
        continue;
      }
      const changedTable: NonNullable<Changes[0][string]> = {};
      for (const [rowId, row] of table.rows) {
        if (!store.hasRow(tableId, rowId)) {
          setOwn(changedTable, rowId, undefined);
          continue;
        }
        const changedRow: {[cellId: string]: Cell | undefined} = {};
        for (const cellId of row.cells) {
          setOwn(changedRow, cellId, store.getCell(tableId, rowId, cellId));
        }
        setOwn(changedTable, rowId, changedRow);
      }
      setOwn(changedTables, tableId, changedTable);
    }
    const changedValues: Changes[1] = {};
    for (const valueId of this.values) setOwn(changedValues, valueId, store.getValue(valueId));
    return [changedTables, changedValues, 1];
  }

  /** The store's current (local) values of every pending id. */
  snapshot(store: Store): LocalSnapshot {
    const snapshot: LocalSnapshot = {tables: [], rows: [], cells: [], values: []};
    for (const [tableId, table] of this.tables) {
      if (table.wiped) {
        snapshot.tables.push([
          tableId,
          store.hasTable(tableId) ? store.getTable(tableId) : undefined,
        ]);
        continue;
      }
      for (const [rowId, row] of table.rows) {
        if (row.wiped) {
          snapshot.rows.push([
            tableId,
            rowId,
            store.hasRow(tableId, rowId) ? store.getRow(tableId, rowId) : undefined,
          ]);
          continue;
        }
        for (const cellId of row.cells) {
          snapshot.cells.push([tableId, rowId, cellId, store.getCell(tableId, rowId, cellId)]);
        }
      }
    }
    for (const valueId of this.values) snapshot.values.push([valueId, store.getValue(valueId)]);
    return snapshot;
  }
}

/** Puts local values back on top of whatever was loaded (call inside a transaction). */
export const restoreSnapshot = (store: Store, snapshot: LocalSnapshot): void => {
  for (const [tableId, table] of snapshot.tables) {
    if (table === undefined) store.delTable(tableId);
    else store.setTable(tableId, table);
  }
  for (const [tableId, rowId, row] of snapshot.rows) {
    if (row === undefined) store.delRow(tableId, rowId);
    else store.setRow(tableId, rowId, row);
  }
  for (const [tableId, rowId, cellId, cell] of snapshot.cells) {
    if (cell === undefined) store.delCell(tableId, rowId, cellId);
    else store.setCell(tableId, rowId, cellId, cell);
  }
  for (const [valueId, value] of snapshot.values) {
    if (value === undefined) store.delValue(valueId);
    else store.setValue(valueId, value);
  }
};

const rowFor = (table: PendingTable, rowId: Id): PendingRow => {
  let row = table.rows.get(rowId);
  if (!row) {
    row = {wiped: false, cells: new Set()};
    table.rows.set(rowId, row);
  }
  return row;
};
