// Local changes not yet persisted, kept cell by cell as the ids that changed
// (not their values): the store always holds the local truth, so a save reads
// the current values, and a load can put them back on top of what it loaded.
// Each id carries the number of the local change that touched it last, so a
// save can forget exactly what it wrote and keep what changed while it wrote.
import type {Cell, Changes, Content, Id, Store} from '@x/store';
import {type CellTree, setInTree} from './nested-map';
import {setOwn} from './own-property';
import {type StorageView, sameCell} from './storage-view';

/** The local values of the pending ids, taken before a load replaces them. */
export type LocalSnapshot = {
  cells: [tableId: Id, rowId: Id, cellId: Id, cell: Cell | undefined][];
  values: [valueId: Id, value: Cell | undefined][];
  /** The whole store, when all of it is pending (see `claimStore`). */
  whole?: Content;
};

export class PendingChanges {
  private readonly tables: CellTree<number> = new Map();
  private readonly values = new Map<Id, number>();
  // All of the store is pending as of this change number: storage holds none of it.
  private wholeSince: number | undefined;

  /** Records a changed (set or deleted) cell. */
  addCell(tableId: Id, rowId: Id, cellId: Id, change: number): void {
    setInTree(this.tables, tableId, rowId, cellId, change);
  }

  /** Records a changed (set or deleted) value. */
  addValue(valueId: Id, change: number): void {
    this.values.set(valueId, change);
  }

  /** Everything the store holds is to be written (storage is empty, or never read). */
  claimStore(change: number): void {
    this.wholeSince = change;
  }

  /** Storage turned out empty: the claim is renewed afterwards, with the store as it then is. */
  unclaimStore(): void {
    this.wholeSince = undefined;
  }

  isWhole(): boolean {
    return this.wholeSince !== undefined;
  }

  hasCell(tableId: Id, rowId: Id, cellId: Id): boolean {
    return this.tables.get(tableId)?.get(rowId)?.has(cellId) ?? false;
  }

  hasValue(valueId: Id): boolean {
    return this.values.has(valueId);
  }

  isEmpty(): boolean {
    return this.wholeSince === undefined && this.tables.size === 0 && this.values.size === 0;
  }

  /** Forgets every id last changed at or before `change`: it reached storage. */
  clearUpTo(change: number): void {
    if (this.wholeSince !== undefined && this.wholeSince <= change) this.wholeSince = undefined;
    for (const [tableId, rows] of this.tables) {
      for (const [rowId, cells] of rows) {
        for (const [cellId, last] of cells) if (last <= change) cells.delete(cellId);
        if (cells.size === 0) rows.delete(rowId);
      }
      if (rows.size === 0) this.tables.delete(tableId);
    }
    for (const [valueId, last] of this.values) if (last <= change) this.values.delete(valueId);
  }

  /**
   * The net changes that bring storage (the store minus these changes) to the
   * store, read from the store now, cell by cell: a row or table the store no
   * longer has is the deletion of each of its pending cells, never of the whole
   * row or table, so a cell another writer added to it meanwhile survives.
   */
  toChanges(store: Store): Changes {
    const changedTables: Changes[0] = {};
    for (const [tableId, rows] of this.tables) {
      const changedTable: NonNullable<Changes[0][string]> = {};
      for (const [rowId, cells] of rows) {
        const changedRow: {[cellId: string]: Cell | undefined} = {};
        for (const cellId of cells.keys())
          setOwn(changedRow, cellId, store.getCell(tableId, rowId, cellId));
        setOwn(changedTable, rowId, changedRow);
      }
      setOwn(changedTables, tableId, changedTable);
    }
    const changedValues: Changes[1] = {};
    for (const valueId of this.values.keys())
      setOwn(changedValues, valueId, store.getValue(valueId));
    return [changedTables, changedValues, 1];
  }

  /** The store's current (local) values of every pending id. */
  snapshot(store: Store): LocalSnapshot {
    const snapshot: LocalSnapshot = {cells: [], values: []};
    if (this.wholeSince !== undefined) snapshot.whole = store.getContent();
    for (const [tableId, rows] of this.tables) {
      for (const [rowId, cells] of rows) {
        for (const cellId of cells.keys()) {
          snapshot.cells.push([tableId, rowId, cellId, store.getCell(tableId, rowId, cellId)]);
        }
      }
    }
    for (const valueId of this.values.keys())
      snapshot.values.push([valueId, store.getValue(valueId)]);
    return snapshot;
  }

  /**
   * After a rebase: the whole-store claim becomes the cells and values of
   * `whole` that storage (`view`) does not already hold, each pending as of the claim.
   */
  spreadWhole([tables, values]: Content, view: StorageView): void {
    const since = this.wholeSince;
    if (since === undefined) return;
    this.wholeSince = undefined;
    for (const tableId of Object.keys(tables)) {
      const table = tables[tableId];
      for (const rowId of Object.keys(table)) {
        const row = table[rowId];
        for (const cellId of Object.keys(row)) {
          if (!sameCell(view.cell(tableId, rowId, cellId), row[cellId]))
            this.addCell(tableId, rowId, cellId, this.lastChangeOf(tableId, rowId, cellId, since));
        }
      }
    }
    for (const valueId of Object.keys(values)) {
      if (!sameCell(view.value(valueId), values[valueId]))
        this.addValue(valueId, Math.max(since, this.values.get(valueId) ?? since));
    }
  }

  private lastChangeOf(tableId: Id, rowId: Id, cellId: Id, since: number): number {
    return Math.max(since, this.tables.get(tableId)?.get(rowId)?.get(cellId) ?? since);
  }
}

/** Puts local values back on top of whatever was loaded (call inside a transaction). */
export const restoreSnapshot = (store: Store, {cells, values, whole}: LocalSnapshot): void => {
  if (whole) {
    const [tables, wholeValues] = whole;
    for (const tableId of Object.keys(tables)) {
      const table = tables[tableId];
      for (const rowId of Object.keys(table)) store.setPartialRow(tableId, rowId, table[rowId]);
    }
    store.setPartialValues(wholeValues);
  }
  for (const [tableId, rowId, cellId, cell] of cells) {
    if (cell === undefined) store.delCell(tableId, rowId, cellId);
    else store.setCell(tableId, rowId, cellId, cell);
  }
  for (const [valueId, value] of values) {
    if (value === undefined) store.delValue(valueId);
    else store.setValue(valueId, value);
  }
};
