// Local changes not yet persisted, kept cell by cell as the ids that changed
// (not their values): the store always holds the local truth, so a save reads
// the current values, and a load can put them back on top of what it loaded.
import type {Cell, Changes, Id, Store} from '@x/store';
import {setOwn} from './own-property';

/** The local values of the pending ids, taken before a load replaces them. */
export type LocalSnapshot = {
  cells: [tableId: Id, rowId: Id, cellId: Id, cell: Cell | undefined][];
  values: [valueId: Id, value: Cell | undefined][];
};

export class PendingChanges {
  private readonly tables = new Map<Id, Map<Id, Set<Id>>>();
  private readonly values = new Set<Id>();

  /** Records a changed (set or deleted) cell. */
  addCell(tableId: Id, rowId: Id, cellId: Id): void {
    let table = this.tables.get(tableId);
    if (!table) {
      table = new Map();
      this.tables.set(tableId, table);
    }
    let row = table.get(rowId);
    if (!row) {
      row = new Set();
      table.set(rowId, row);
    }
    row.add(cellId);
  }

  /** Records a changed (set or deleted) value. */
  addValue(valueId: Id): void {
    this.values.add(valueId);
  }

  hasCell(tableId: Id, rowId: Id, cellId: Id): boolean {
    return this.tables.get(tableId)?.get(rowId)?.has(cellId) ?? false;
  }

  hasValue(valueId: Id): boolean {
    return this.values.has(valueId);
  }

  isEmpty(): boolean {
    return this.tables.size === 0 && this.values.size === 0;
  }

  /** Adds every id of `other` (a save that failed puts its ids back). */
  merge(other: PendingChanges): void {
    for (const [tableId, rows] of other.tables) {
      for (const [rowId, cells] of rows) {
        for (const cellId of cells) this.addCell(tableId, rowId, cellId);
      }
    }
    for (const valueId of other.values) this.values.add(valueId);
  }

  /**
   * The net changes that bring storage (the store minus these changes) to the
   * store, read from the store now. A table or row the store no longer has is
   * deleted whole: every cell storage held of it is pending.
   */
  toChanges(store: Store): Changes {
    const changedTables: Changes[0] = {};
    for (const [tableId, rows] of this.tables) {
      if (!store.hasTable(tableId)) {
        setOwn(changedTables, tableId, undefined);
        continue;
      }
      const changedTable: NonNullable<Changes[0][string]> = {};
      for (const [rowId, cells] of rows) {
        if (!store.hasRow(tableId, rowId)) {
          setOwn(changedTable, rowId, undefined);
          continue;
        }
        const changedRow: {[cellId: string]: Cell | undefined} = {};
        for (const cellId of cells)
          setOwn(changedRow, cellId, store.getCell(tableId, rowId, cellId));
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
    const snapshot: LocalSnapshot = {cells: [], values: []};
    for (const [tableId, rows] of this.tables) {
      for (const [rowId, cells] of rows) {
        for (const cellId of cells) {
          snapshot.cells.push([tableId, rowId, cellId, store.getCell(tableId, rowId, cellId)]);
        }
      }
    }
    for (const valueId of this.values) snapshot.values.push([valueId, store.getValue(valueId)]);
    return snapshot;
  }
}

/** Puts local values back on top of whatever was loaded (call inside a transaction). */
export const restoreSnapshot = (store: Store, {cells, values}: LocalSnapshot): void => {
  for (const [tableId, rowId, cellId, cell] of cells) {
    if (cell === undefined) store.delCell(tableId, rowId, cellId);
    else store.setCell(tableId, rowId, cellId, cell);
  }
  for (const [valueId, value] of values) {
    if (value === undefined) store.delValue(valueId);
    else store.setValue(valueId, value);
  }
};
