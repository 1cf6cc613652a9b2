// Data read from storage that the store's schema refused (or replaced by a
// default), kept so that no save removes it from storage: a full save writes it
// back beside the store's content, an incremental one never deletes it. An
// entry goes when the app writes that cell or value itself, deletes its row or
// table, or when storage itself no longer holds it.
import type {Cell, Changes, Content, Id, Row, Tables, Values} from '@x/store';
import {setOwn} from './own-property';
import {sameCell} from './storage-view';

/** Storage's cells and values that the store does not hold as they are stored. */
export class RejectedData {
  private readonly tables = new Map<Id, Map<Id, Map<Id, Cell>>>();
  private readonly values = new Map<Id, Cell>();

  isEmpty(): boolean {
    return this.tables.size === 0 && this.values.size === 0;
  }

  clear(): void {
    this.tables.clear();
    this.values.clear();
  }

  setCell(tableId: Id, rowId: Id, cellId: Id, cell: Cell): void {
    let table = this.tables.get(tableId);
    if (!table) {
      table = new Map();
      this.tables.set(tableId, table);
    }
    let row = table.get(rowId);
    if (!row) {
      row = new Map();
      table.set(rowId, row);
    }
    row.set(cellId, cell);
  }

  setValue(valueId: Id, value: Cell): void {
    this.values.set(valueId, value);
  }

  hasCell(tableId: Id, rowId: Id, cellId: Id): boolean {
    return this.tables.get(tableId)?.get(rowId)?.has(cellId) ?? false;
  }

  hasValue(valueId: Id): boolean {
    return this.values.has(valueId);
  }

  cell(tableId: Id, rowId: Id, cellId: Id): Cell | undefined {
    return this.tables.get(tableId)?.get(rowId)?.get(cellId);
  }

  value(valueId: Id): Cell | undefined {
    return this.values.get(valueId);
  }

  delCell(tableId: Id, rowId: Id, cellId: Id): void {
    const table = this.tables.get(tableId);
    const row = table?.get(rowId);
    if (!row?.delete(cellId) || row.size > 0) return;
    table!.delete(rowId);
    if (table!.size === 0) this.tables.delete(tableId);
  }

  /** Forgets a row; returns the ids of the cells it held. */
  delRow(tableId: Id, rowId: Id): Id[] {
    const table = this.tables.get(tableId);
    const row = table?.get(rowId);
    if (!row) return [];
    table!.delete(rowId);
    if (table!.size === 0) this.tables.delete(tableId);
    return [...row.keys()];
  }

  /** Forgets a table; returns the ids of the rows it held. */
  delTable(tableId: Id): Id[] {
    const table = this.tables.get(tableId);
    this.tables.delete(tableId);
    return table ? [...table.keys()] : [];
  }

  delValue(valueId: Id): void {
    this.values.delete(valueId);
  }

  /** Forgets what `changes` (heard from storage) set or deleted: storage holds something else there now. */
  forgetChanged([tables, values]: Changes): void {
    if (this.isEmpty()) return;
    for (const tableId of Object.keys(tables)) {
      const table = tables[tableId];
      if (table === undefined) {
        this.delTable(tableId);
        continue;
      }
      for (const rowId of Object.keys(table)) {
        const row = table[rowId];
        if (row === undefined) this.delRow(tableId, rowId);
        else for (const cellId of Object.keys(row)) this.delCell(tableId, rowId, cellId);
      }
    }
    for (const valueId of Object.keys(values)) this.values.delete(valueId);
  }

  /** `changes` (the store's, read for a save) with the kept cells and values written over them. */
  overlayChanges(changes: Changes): Changes {
    if (this.isEmpty()) return changes;
    const [tables, values] = changes;
    for (const tableId of Object.keys(tables)) {
      const table = tables[tableId];
      const kept = this.tables.get(tableId);
      if (table === undefined || !kept) continue;
      for (const rowId of Object.keys(table)) {
        const row = table[rowId];
        const keptRow = kept.get(rowId);
        if (row === undefined || !keptRow) continue;
        for (const cellId of Object.keys(row))
          if (keptRow.has(cellId)) setOwn(row, cellId, keptRow.get(cellId));
      }
    }
    for (const valueId of Object.keys(values))
      if (this.values.has(valueId)) setOwn(values, valueId, this.values.get(valueId));
    return changes;
  }

  /** The kept cells of one row, as a row, or undefined when none are kept. */
  rowOf(tableId: Id, rowId: Id): Row | undefined {
    const row = this.tables.get(tableId)?.get(rowId);
    if (!row) return undefined;
    const cells: Row = {};
    for (const [cellId, cell] of row) setOwn(cells, cellId, cell);
    return cells;
  }

  /** The ids of the rows of `tableId` with kept cells. */
  rowIdsOf(tableId: Id): Id[] {
    return [...(this.tables.get(tableId)?.keys() ?? [])];
  }

  /** Writes the kept data over `content` (the store's: a fresh copy) and returns it. */
  overlay(content: Content): Content {
    if (this.isEmpty()) return content;
    const [tables, values] = content;
    for (const [tableId, rows] of this.tables) {
      if (!Object.hasOwn(tables, tableId)) setOwn(tables, tableId, {});
      const table = tables[tableId];
      for (const [rowId, cells] of rows) {
        if (!Object.hasOwn(table, rowId)) setOwn(table, rowId, {});
        const row = table[rowId];
        for (const [cellId, cell] of cells) setOwn(row, cellId, cell);
      }
    }
    for (const [valueId, value] of this.values) setOwn(values, valueId, value);
    return content;
  }

  /** A copy, as `[tables, values]`, without what `except` holds with the same value. */
  toContent(except?: RejectedData): Content {
    const content = this.overlay([{} as Tables, {} as Values]);
    if (!except) return content;
    const [tables, values] = content;
    for (const tableId of Object.keys(tables)) {
      for (const rowId of Object.keys(tables[tableId])) {
        const row = tables[tableId][rowId];
        for (const cellId of Object.keys(row))
          if (sameCell(except.cell(tableId, rowId, cellId), row[cellId])) delete row[cellId];
        if (Object.keys(row).length === 0) delete tables[tableId][rowId];
      }
      if (Object.keys(tables[tableId]).length === 0) delete tables[tableId];
    }
    for (const valueId of Object.keys(values))
      if (sameCell(except.value(valueId), values[valueId])) delete values[valueId];
    return content;
  }

  clone(): RejectedData {
    const copy = new RejectedData();
    copy.overlayInto(this);
    return copy;
  }

  private overlayInto(from: RejectedData): void {
    for (const [tableId, rows] of from.tables)
      for (const [rowId, cells] of rows)
        for (const [cellId, cell] of cells) this.setCell(tableId, rowId, cellId, cell);
    for (const [valueId, value] of from.values) this.setValue(valueId, value);
  }
}

/** One line per kept path: `pets/rex/legs: "three"`. */
export const describeRejected = ([tables, values]: Content): string[] => {
  const lines: string[] = [];
  for (const tableId of Object.keys(tables))
    for (const rowId of Object.keys(tables[tableId]))
      for (const cellId of Object.keys(tables[tableId][rowId]))
        lines.push(
          `tables/${tableId}/${rowId}/${cellId}: ${JSON.stringify(tables[tableId][rowId][cellId])}`,
        );
  for (const valueId of Object.keys(values))
    lines.push(`values/${valueId}: ${JSON.stringify(values[valueId])}`);
  return lines;
};

/**
 * Reported when data read from storage (or already in the store, when a schema
 * is set) is refused by the store's schema: `rejected` holds every refused
 * cell and value as `[tables, values]`, and the message lists them. That data
 * stays in storage (see `persister.getRejected()`).
 *
 * @example
 * ```ts
 * createFilePersister(store, path, (error) => {
 *   if (error instanceof PersisterRejectedError) console.warn(error.rejected);
 * });
 * ```
 */
export class PersisterRejectedError extends Error {
  /** Every refused cell and value, as `[tables, values]`. */
  readonly rejected: Content;
  constructor(rejected: Content) {
    const lines = describeRejected(rejected);
    super(
      `The store's schema refused ${lines.length} stored cell(s) or value(s); they stay in storage ` +
        `until the app writes or deletes them:\n${lines.join('\n')}`,
    );
    this.name = 'PersisterRejectedError';
    this.rejected = rejected;
  }
}
