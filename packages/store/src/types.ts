// The public types of @x/store (SPEC.md §2). Everything else in the repo codes
// against these; change them only with care.

/** A cell: a string, a finite number, a boolean or null. */
export type Cell = string | number | boolean | null;
/** A value: same domain as a cell. */
export type Value = Cell;
export type Row = {[cellId: string]: Cell};
export type Table = {[rowId: string]: Row};
export type Tables = {[tableId: string]: Table};
export type Values = {[valueId: string]: Value};
/** The whole content of a store: `[tables, values]`. */
export type Content = [tables: Tables, values: Values];

export type Id = string;
/** An id argument: numbers are coerced to strings. */
export type IdLike = string | number;
/** An id argument of a listener: `null` is a wildcard. */
export type IdOrNull = IdLike | null;

/**
 * The net changes of a transaction. `undefined` means deleted. A table or row
 * entry that is `undefined` means the whole table or row was deleted.
 */
export type Changes = [
  changedTables: {
    [tableId: string]:
      | {[rowId: string]: {[cellId: string]: Cell | undefined} | undefined}
      | undefined;
  },
  changedValues: {[valueId: string]: Value | undefined},
  isChanges: 1,
];

export type CellSchema =
  | {type: 'string'; default?: string}
  | {type: 'number'; default?: number}
  | {type: 'boolean'; default?: boolean};
export type ValueSchema = CellSchema;
export type TablesSchema = {[tableId: string]: {[cellId: string]: CellSchema}};
export type ValuesSchema = {[valueId: string]: ValueSchema};

export type MapCell = (cell: Cell | undefined) => Cell;
export type MapValue = (value: Value | undefined) => Value;

/** Row-level change kinds, as in the incremental-persistence seed. */
export type RowChangeType = 'create' | 'update' | 'delete' | 'clear';

export type TablesListener = (store: Store) => void;
export type TableIdsListener = (store: Store) => void;
export type TableListener = (store: Store, tableId: Id) => void;
export type TableCellIdsListener = (store: Store, tableId: Id) => void;
export type RowCountListener = (store: Store, tableId: Id, count: number) => void;
export type RowIdsListener = (store: Store, tableId: Id) => void;
export type SortedRowIdsListener = (
  store: Store,
  tableId: Id,
  cellId: Id | undefined,
  descending: boolean,
  offset: number,
  limit: number | undefined,
  sortedRowIds: Id[],
) => void;
export type RowListener = (store: Store, tableId: Id, rowId: Id) => void;
export type CellIdsListener = (store: Store, tableId: Id, rowId: Id) => void;
export type CellListener = (
  store: Store,
  tableId: Id,
  rowId: Id,
  cellId: Id,
  newCell: Cell | undefined,
  oldCell: Cell | undefined,
) => void;
export type HasTablesListener = (store: Store, hasTables: boolean) => void;
export type HasTableListener = (store: Store, tableId: Id, hasTable: boolean) => void;
export type HasRowListener = (store: Store, tableId: Id, rowId: Id, hasRow: boolean) => void;
export type HasCellListener = (
  store: Store,
  tableId: Id,
  rowId: Id,
  cellId: Id,
  hasCell: boolean,
) => void;
export type ValuesListener = (store: Store) => void;
export type ValueIdsListener = (store: Store) => void;
export type ValueListener = (
  store: Store,
  valueId: Id,
  newValue: Value | undefined,
  oldValue: Value | undefined,
) => void;
export type HasValuesListener = (store: Store, hasValues: boolean) => void;
export type HasValueListener = (store: Store, valueId: Id, hasValue: boolean) => void;
/** `invalidCells` holds what was refused (the raw input, or the dropped cell). */
export type InvalidCellListener = (
  store: Store,
  tableId: Id,
  rowId: Id,
  cellId: Id,
  invalidCells: unknown[],
) => void;
export type InvalidValueListener = (store: Store, valueId: Id, invalidValues: unknown[]) => void;
export type TransactionListener = (store: Store) => void;
export type RowChangesListener = (
  store: Store,
  tableId: Id,
  type: RowChangeType,
  rowIds: Id[],
) => void;

export type ListenerStats = {
  tables: number;
  tableIds: number;
  table: number;
  tableCellIds: number;
  rowCount: number;
  rowIds: number;
  sortedRowIds: number;
  row: number;
  cellIds: number;
  cell: number;
  hasTables: number;
  hasTable: number;
  hasRow: number;
  hasCell: number;
  values: number;
  valueIds: number;
  value: number;
  hasValues: number;
  hasValue: number;
  invalidCell: number;
  invalidValue: number;
  transaction: number;
  rowChanges: number;
};

/** The reactive store. Every setter returns the store, so calls chain. */
export interface Store {
  // Getters (each returns a copy the caller may mutate)
  getContent(): Content;
  getTables(): Tables;
  getTableIds(): Id[];
  getTable(tableId: IdLike): Table;
  getTableCellIds(tableId: IdLike): Id[];
  getRowCount(tableId: IdLike): number;
  getRowIds(tableId: IdLike): Id[];
  getSortedRowIds(
    tableId: IdLike,
    cellId?: IdLike,
    descending?: boolean,
    offset?: number,
    limit?: number,
  ): Id[];
  getRow(tableId: IdLike, rowId: IdLike): Row;
  getCellIds(tableId: IdLike, rowId: IdLike): Id[];
  getCell(tableId: IdLike, rowId: IdLike, cellId: IdLike): Cell | undefined;
  getValues(): Values;
  getValueIds(): Id[];
  getValue(valueId: IdLike): Value | undefined;

  // Has
  hasTables(): boolean;
  hasTable(tableId: IdLike): boolean;
  hasTableCell(tableId: IdLike, cellId: IdLike): boolean;
  hasRow(tableId: IdLike, rowId: IdLike): boolean;
  hasCell(tableId: IdLike, rowId: IdLike, cellId: IdLike): boolean;
  hasValues(): boolean;
  hasValue(valueId: IdLike): boolean;

  // Setters
  setContent(content: Content): Store;
  setTables(tables: Tables): Store;
  setTable(tableId: IdLike, table: Table): Store;
  setRow(tableId: IdLike, rowId: IdLike, row: Row): Store;
  setPartialRow(tableId: IdLike, rowId: IdLike, partialRow: Row): Store;
  setCell(tableId: IdLike, rowId: IdLike, cellId: IdLike, cell: Cell | MapCell): Store;
  /** Adds a row under a new id; returns the id, or `undefined` if the row was invalid. */
  addRow(tableId: IdLike, row: Row): Id | undefined;
  setValues(values: Values): Store;
  setPartialValues(partialValues: Values): Store;
  setValue(valueId: IdLike, value: Value | MapValue): Store;
  /** Applies a `Changes` object (as from `getTransactionChanges`) as one transaction. */
  applyChanges(changes: Changes): Store;

  // Deleters
  delTables(): Store;
  delTable(tableId: IdLike): Store;
  delRow(tableId: IdLike, rowId: IdLike): Store;
  delCell(tableId: IdLike, rowId: IdLike, cellId: IdLike): Store;
  delValues(): Store;
  delValue(valueId: IdLike): Store;

  // Iterators
  forEachTable(
    callback: (tableId: Id, forEachRow: (rowCallback: (rowId: Id) => void) => void) => void,
  ): void;
  forEachRow(
    tableId: IdLike,
    callback: (
      rowId: Id,
      forEachCell: (cellCallback: (cellId: Id, cell: Cell) => void) => void,
    ) => void,
  ): void;
  forEachCell(tableId: IdLike, rowId: IdLike, callback: (cellId: Id, cell: Cell) => void): void;
  forEachValue(callback: (valueId: Id, value: Value) => void): void;

  // JSON
  getJson(): string;
  getTablesJson(): string;
  getValuesJson(): string;
  /** A full replace from `'[{tables},{values}]'`; bad JSON leaves the store untouched. */
  setJson(json: string): Store;

  // Schemas
  setTablesSchema(tablesSchema: TablesSchema): Store;
  setValuesSchema(valuesSchema: ValuesSchema): Store;
  delTablesSchema(): Store;
  delValuesSchema(): Store;

  // Listeners (each returns an id for delListener; a null id is a wildcard)
  addTablesListener(listener: TablesListener): Id;
  addTableIdsListener(listener: TableIdsListener): Id;
  addTableListener(tableId: IdOrNull, listener: TableListener): Id;
  addTableCellIdsListener(tableId: IdOrNull, listener: TableCellIdsListener): Id;
  addRowCountListener(tableId: IdOrNull, listener: RowCountListener): Id;
  addRowIdsListener(tableId: IdOrNull, listener: RowIdsListener): Id;
  addSortedRowIdsListener(
    tableId: IdLike,
    cellId: IdLike | undefined,
    descending: boolean,
    offset: number,
    limit: number | undefined,
    listener: SortedRowIdsListener,
  ): Id;
  addRowListener(tableId: IdOrNull, rowId: IdOrNull, listener: RowListener): Id;
  addCellIdsListener(tableId: IdOrNull, rowId: IdOrNull, listener: CellIdsListener): Id;
  addCellListener(tableId: IdOrNull, rowId: IdOrNull, cellId: IdOrNull, listener: CellListener): Id;
  addHasTablesListener(listener: HasTablesListener): Id;
  addHasTableListener(tableId: IdOrNull, listener: HasTableListener): Id;
  addHasRowListener(tableId: IdOrNull, rowId: IdOrNull, listener: HasRowListener): Id;
  addHasCellListener(
    tableId: IdOrNull,
    rowId: IdOrNull,
    cellId: IdOrNull,
    listener: HasCellListener,
  ): Id;
  addValuesListener(listener: ValuesListener): Id;
  addValueIdsListener(listener: ValueIdsListener): Id;
  addValueListener(valueId: IdOrNull, listener: ValueListener): Id;
  addHasValuesListener(listener: HasValuesListener): Id;
  addHasValueListener(valueId: IdOrNull, listener: HasValueListener): Id;
  addInvalidCellListener(
    tableId: IdOrNull,
    rowId: IdOrNull,
    cellId: IdOrNull,
    listener: InvalidCellListener,
  ): Id;
  addInvalidValueListener(valueId: IdOrNull, listener: InvalidValueListener): Id;
  addStartTransactionListener(listener: TransactionListener): Id;
  addWillFinishTransactionListener(listener: TransactionListener): Id;
  addDidFinishTransactionListener(listener: TransactionListener): Id;
  /** Row-level change events: one call per table and type per transaction. */
  addRowChangesListener(tableId: IdOrNull, listener: RowChangesListener): Id;
  delListener(listenerId: Id): Store;
  callListener(listenerId: Id): Store;
  getListenerStats(): ListenerStats;

  // Transactions
  transaction<Return>(actions: () => Return, doRollback?: (changes: Changes) => boolean): Return;
  startTransaction(): Store;
  finishTransaction(doRollback?: (changes: Changes) => boolean): Store;
  /** The net changes of the transaction being finished (valid in did-finish listeners). */
  getTransactionChanges(): Changes;
}
