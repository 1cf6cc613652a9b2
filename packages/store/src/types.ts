// The public types of @x/store (SPEC.md §2). Everything else in the repo codes
// against these; change them only with care.

/** Plain JSON data: what an object or array cell may hold. */
export type Json = string | number | boolean | null | JsonObject | JsonArray;
/** A plain JSON object (its prototype is Object.prototype or null). */
export type JsonObject = {[key: string]: Json};
/** A plain JSON array. */
export type JsonArray = Json[];
/**
 * A cell: a string, a finite number, a boolean, null, or a plain JSON object or array
 * (kept as a copy, compared by value).
 */
export type Cell = string | number | boolean | null | JsonObject | JsonArray;
/** A value: same domain as a cell. */
export type Value = Cell;
/** A row: cells by cell id. */
export type Row = {[cellId: string]: Cell};
/** A table: rows by row id. */
export type Table = {[rowId: string]: Row};
/** Every table of a store, by table id. */
export type Tables = {[tableId: string]: Table};
/** The keyed values of a store, by value id. */
export type Values = {[valueId: string]: Value};
/** The whole content of a store: `[tables, values]`. */
export type Content = [tables: Tables, values: Values];

/** An id of a table, row, cell or value, as the store returns it: always a string. */
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

/** The type names a schema can use. */
export type SchemaType = 'string' | 'number' | 'boolean' | 'object' | 'array';
/** What every cell or value schema may add: `allowNull`, and `required` (for typing only). */
type SchemaOptions = {allowNull?: boolean; required?: boolean};
/**
 * A cell's schema: a type, a non-empty list of types, or a non-empty `enum` of strings,
 * finite numbers and booleans; `allowNull` also lets `null` in; `default` (which the
 * schema itself must accept, `null` included) fills missing and invalid cells.
 */
export type CellSchema = SchemaOptions &
  (
    | {type: 'string'; default?: string | null; enum?: never}
    | {type: 'number'; default?: number | null; enum?: never}
    | {type: 'boolean'; default?: boolean | null; enum?: never}
    | {type: 'object'; default?: JsonObject | null; enum?: never}
    | {type: 'array'; default?: JsonArray | null; enum?: never}
    | {type: readonly [SchemaType, ...SchemaType[]]; default?: Cell; enum?: never}
    | {
        enum: readonly [string | number | boolean, ...(string | number | boolean)[]];
        type?: never;
        default?: string | number | boolean | null;
      }
  );
/**
 * The rule for one cell under {@link Store.setTablesSchema}: its type, and the
 * default that a missing or wrong-typed cell takes (without one, such a cell is refused).
 *
 * @example
 * ```ts
 * const price: CellSchema = {type: 'number', default: 0};
 * ```
 */
export type ValueSchema = CellSchema;
/**
 * A schema for the tables: the allowed tables and, in each, the allowed cells and their rules.
 *
 * @example
 * ```ts
 * store.setTablesSchema({pets: {species: {type: 'string'}, sold: {type: 'boolean', default: false}}});
 * ```
 */
export type TablesSchema = {[tableId: string]: {[cellId: string]: CellSchema}};
/** A schema for the values: the allowed values and their rules. */
export type ValuesSchema = {[valueId: string]: ValueSchema};

/**
 * A function given to {@link Store.setCell} instead of a cell: it gets the current
 * cell (`undefined` when there is none) and returns the new one.
 *
 * @example
 * ```ts
 * store.setCell('pets', 'fido', 'visits', (visits) => Number(visits ?? 0) + 1);
 * ```
 */
export type MapCell = (cell: Cell | undefined) => Cell;
/** A function given to {@link Store.setValue} instead of a value: current value in, new value out. */
export type MapValue = (value: Value | undefined) => Value;

/** Compares two sort keys (cells, or row ids when sorting by id) like Array.sort's compareFn. */
export type Sorter = (sortKey1: Cell | undefined, sortKey2: Cell | undefined) => number;
/** getSortedRowIds' arguments as one object. */
export type SortedRowIdsArgs = {
  /** The table whose row ids are sorted. */
  tableId: IdLike;
  /** The cell to sort by; row ids themselves when absent. */
  cellId?: IdLike;
  /** Largest first. */
  descending?: boolean;
  /** How many sorted ids to skip. */
  offset?: number;
  /** How many ids to return at most. */
  limit?: number;
  /** A custom comparison of sort keys. */
  sorter?: Sorter;
};

/** Ids added (`1`) or removed (`-1`) by the transaction. */
export type GetIdChanges = () => {[id: string]: 1 | -1};
/** Whether a cell changed in the transaction, with its old and new state. */
export type CellChange = [changed: boolean, oldCell: Cell | undefined, newCell: Cell | undefined];
/** Given to listeners: the {@link CellChange} of any cell in the transaction. */
export type GetCellChange = (tableId: IdLike, rowId: IdLike, cellId: IdLike) => CellChange;
/** Whether a value changed in the transaction, with its old and new state. */
export type ValueChange = [
  changed: boolean,
  oldValue: Value | undefined,
  newValue: Value | undefined,
];
/** Given to listeners: the {@link ValueChange} of any value in the transaction. */
export type GetValueChange = (valueId: IdLike) => ValueChange;

/**
 * A transaction as TinyBase describes it: whether cells and values were touched, the
 * changed cells and values as `[old, new]`, the refused inputs, and the ids added (`1`)
 * or removed (`-1`).
 */
export type TransactionLog = [
  cellsTouched: boolean,
  valuesTouched: boolean,
  changedCells: {[tableId: string]: {[rowId: string]: {[cellId: string]: CellChangePair}}},
  invalidCells: {[tableId: string]: {[rowId: string]: {[cellId: string]: unknown[]}}},
  changedValues: {[valueId: string]: CellChangePair},
  invalidValues: {[valueId: string]: unknown[]},
  changedTableIds: {[tableId: string]: 1 | -1},
  changedRowIds: {[tableId: string]: {[rowId: string]: 1 | -1}},
  changedCellIds: {[tableId: string]: {[rowId: string]: {[cellId: string]: 1 | -1}}},
  changedValueIds: {[valueId: string]: 1 | -1},
];
/** A cell's or value's state before and after a transaction. */
export type CellChangePair = [old: Cell | undefined, new: Cell | undefined];

/** Row-level change kinds, as in the incremental-persistence seed. */
export type RowChangeType = 'create' | 'update' | 'delete' | 'clear';

// The change getters are undefined when callListener calls a listener.
/** Called by {@link Store.addTablesListener} after a transaction that changed any cell. */
export type TablesListener = (store: Store, getCellChange: GetCellChange | undefined) => void;
/** Called by {@link Store.addTableIdsListener} after a transaction that changed the set of table ids. */
export type TableIdsListener = (store: Store, getIdChanges: GetIdChanges | undefined) => void;
/** Called by {@link Store.addTableListener} after a transaction that changed the table `tableId`. */
export type TableListener = (
  store: Store,
  tableId: Id,
  getCellChange: GetCellChange | undefined,
) => void;
/** Called by {@link Store.addTableCellIdsListener} when the set of cell ids used in a table changed. */
export type TableCellIdsListener = (
  store: Store,
  tableId: Id,
  getIdChanges: GetIdChanges | undefined,
) => void;
/** Called by {@link Store.addHasTableCellListener} when a cell id comes into use in a table or goes out of use. */
export type HasTableCellListener = (
  store: Store,
  tableId: Id,
  cellId: Id,
  hasTableCell: boolean,
) => void;
/** Called by {@link Store.addRowCountListener} with the new number of rows of a table. */
export type RowCountListener = (store: Store, tableId: Id, count: number) => void;
/** Called by {@link Store.addRowIdsListener} when the set of row ids of a table changed. */
export type RowIdsListener = (
  store: Store,
  tableId: Id,
  getIdChanges: GetIdChanges | undefined,
) => void;
/** Called by {@link Store.addSortedRowIdsListener} with the new sorted (and sliced) row ids. */
export type SortedRowIdsListener = (
  store: Store,
  tableId: Id,
  cellId: Id | undefined,
  descending: boolean,
  offset: number,
  limit: number | undefined,
  sortedRowIds: Id[],
) => void;
/** Called by {@link Store.addRowListener} after a transaction that changed a row. */
export type RowListener = (
  store: Store,
  tableId: Id,
  rowId: Id,
  getCellChange: GetCellChange | undefined,
) => void;
/** Called by {@link Store.addCellIdsListener} when the set of cell ids of a row changed. */
export type CellIdsListener = (
  store: Store,
  tableId: Id,
  rowId: Id,
  getIdChanges: GetIdChanges | undefined,
) => void;
/** Called by {@link Store.addCellListener} with a cell's new and old content (`undefined`: none). */
export type CellListener = (
  store: Store,
  tableId: Id,
  rowId: Id,
  cellId: Id,
  newCell: Cell | undefined,
  oldCell: Cell | undefined,
  getCellChange: GetCellChange | undefined,
) => void;
/** Called by {@link Store.addHasTablesListener} when the store goes from no tables to some, or back. */
export type HasTablesListener = (store: Store, hasTables: boolean) => void;
/** Called by {@link Store.addHasTableListener} when a table comes into being or goes away. */
export type HasTableListener = (store: Store, tableId: Id, hasTable: boolean) => void;
/** Called by {@link Store.addHasRowListener} when a row comes into being or goes away. */
export type HasRowListener = (store: Store, tableId: Id, rowId: Id, hasRow: boolean) => void;
/** Called by {@link Store.addHasCellListener} when a cell comes into being or goes away. */
export type HasCellListener = (
  store: Store,
  tableId: Id,
  rowId: Id,
  cellId: Id,
  hasCell: boolean,
) => void;
/** Called by {@link Store.addValuesListener} after a transaction that changed any value. */
export type ValuesListener = (store: Store, getValueChange: GetValueChange | undefined) => void;
/** Called by {@link Store.addValueIdsListener} when the set of value ids changed. */
export type ValueIdsListener = (store: Store, getIdChanges: GetIdChanges | undefined) => void;
/** Called by {@link Store.addValueListener} with a value's new and old content (`undefined`: none). */
export type ValueListener = (
  store: Store,
  valueId: Id,
  newValue: Value | undefined,
  oldValue: Value | undefined,
  getValueChange: GetValueChange | undefined,
) => void;
/** Called by {@link Store.addHasValuesListener} when the store goes from no values to some, or back. */
export type HasValuesListener = (store: Store, hasValues: boolean) => void;
/** Called by {@link Store.addHasValueListener} when a value comes into being or goes away. */
export type HasValueListener = (store: Store, valueId: Id, hasValue: boolean) => void;
/** `invalidCells` holds what was refused (the raw input, or the dropped cell). */
export type InvalidCellListener = (
  store: Store,
  tableId: Id,
  rowId: Id,
  cellId: Id,
  invalidCells: unknown[],
) => void;
/** Called by {@link Store.addInvalidValueListener} with every refused input for one value id. */
export type InvalidValueListener = (store: Store, valueId: Id, invalidValues: unknown[]) => void;
/** Called by the transaction listeners ({@link Store.addDidFinishTransactionListener} and the others). */
export type TransactionListener = (store: Store) => void;
/**
 * Called by {@link Store.addRowChangesListener} with the kind of change and the
 * ids of the rows it touched, once per kind per transaction: what an incremental
 * copy of the store elsewhere needs to write.
 */
export type RowChangesListener = (
  store: Store,
  tableId: Id,
  type: RowChangeType,
  rowIds: Id[],
) => void;

/** How many listeners of each kind a store holds ({@link Store.getListenerStats}). */
export type ListenerStats = {
  /** Listeners added with {@link Store.addTablesListener}. */
  tables: number;
  /** Listeners added with {@link Store.addTableIdsListener}. */
  tableIds: number;
  /** Listeners added with {@link Store.addTableListener}. */
  table: number;
  /** Listeners added with {@link Store.addTableCellIdsListener}. */
  tableCellIds: number;
  /** Listeners added with {@link Store.addHasTableCellListener}. */
  hasTableCell: number;
  /** Listeners added with {@link Store.addRowCountListener}. */
  rowCount: number;
  /** Listeners added with {@link Store.addRowIdsListener}. */
  rowIds: number;
  /** Listeners added with {@link Store.addSortedRowIdsListener}. */
  sortedRowIds: number;
  /** Listeners added with {@link Store.addRowListener}. */
  row: number;
  /** Listeners added with {@link Store.addCellIdsListener}. */
  cellIds: number;
  /** Listeners added with {@link Store.addCellListener}. */
  cell: number;
  /** Listeners added with {@link Store.addHasTablesListener}. */
  hasTables: number;
  /** Listeners added with {@link Store.addHasTableListener}. */
  hasTable: number;
  /** Listeners added with {@link Store.addHasRowListener}. */
  hasRow: number;
  /** Listeners added with {@link Store.addHasCellListener}. */
  hasCell: number;
  /** Listeners added with {@link Store.addValuesListener}. */
  values: number;
  /** Listeners added with {@link Store.addValueIdsListener}. */
  valueIds: number;
  /** Listeners added with {@link Store.addValueListener}. */
  value: number;
  /** Listeners added with {@link Store.addHasValuesListener}. */
  hasValues: number;
  /** Listeners added with {@link Store.addHasValueListener}. */
  hasValue: number;
  /** Listeners added with {@link Store.addInvalidCellListener}. */
  invalidCell: number;
  /** Listeners added with {@link Store.addInvalidValueListener}. */
  invalidValue: number;
  /** Transaction listeners (start, will-finish and did-finish together). */
  transaction: number;
  /** Listeners added with {@link Store.addRowChangesListener}. */
  rowChanges: number;
};

/**
 * The reactive store: tables of rows of cells, plus keyed values. Every setter
 * returns the store, so calls chain; every getter returns a copy.
 *
 * @example
 * ```ts
 * const store = createStore()
 *   .setTables({pets: {fido: {species: 'dog'}}})
 *   .setValues({open: true});
 * store.getCell('pets', 'fido', 'species'); // 'dog'
 * ```
 */
export interface Store {
  // ---- Getters (each returns a copy the caller may mutate) ----

  /**
   * The whole content, `[tables, values]`.
   * @example
   * ```ts
   * createStore().setValue('open', true).getContent(); // [{}, {open: true}]
   * ```
   */
  getContent(): Content;
  /**
   * All tables.
   * @example
   * ```ts
   * createStore().setCell('t', 'r', 'c', 1).getTables(); // {t: {r: {c: 1}}}
   * ```
   */
  getTables(): Tables;
  /**
   * The ids of the tables, in insertion order.
   * @example
   * ```ts
   * createStore().setCell('t', 'r', 'c', 1).getTableIds(); // ['t']
   * ```
   */
  getTableIds(): Id[];
  /**
   * One table (`{}` when missing).
   * @example
   * ```ts
   * createStore().setRow('t', 'r', {c: 1}).getTable('t'); // {r: {c: 1}}
   * ```
   */
  getTable(tableId: IdLike): Table;
  /**
   * The ids of the cells used by any row of a table.
   * @example
   * ```ts
   * createStore().setTable('t', {a: {x: 1}, b: {y: 2}}).getTableCellIds('t'); // ['x', 'y']
   * ```
   */
  getTableCellIds(tableId: IdLike): Id[];
  /**
   * How many rows a table has.
   * @example
   * ```ts
   * createStore().setTable('t', {a: {x: 1}, b: {x: 2}}).getRowCount('t'); // 2
   * ```
   */
  getRowCount(tableId: IdLike): number;
  /**
   * The ids of a table's rows, in insertion order.
   * @example
   * ```ts
   * createStore().setTable('t', {a: {x: 1}, b: {x: 2}}).getRowIds('t'); // ['a', 'b']
   * ```
   */
  getRowIds(tableId: IdLike): Id[];
  /**
   * Row ids sorted by a cell (by row id when `cellId` is undefined). Order: missing <
   * null < booleans < numbers < strings, ties by row id; `descending` reverses it all;
   * then `offset` and `limit` slice the result.
   * @example
   * ```ts
   * createStore()
   *   .setTable('pets', {fido: {price: 5}, felix: {price: 4}})
   *   .getSortedRowIds('pets', 'price'); // ['felix', 'fido']
   * ```
   */
  getSortedRowIds(
    tableId: IdLike,
    cellId?: IdLike,
    descending?: boolean,
    offset?: number,
    limit?: number,
    sorter?: Sorter,
  ): Id[];
  /**
   * getSortedRowIds with its arguments as one object; a `sorter` compares the cells
   * (ties by row id).
   * @example
   * ```ts
   * createStore()
   *   .setTable('pets', {fido: {name: 'Fido'}, felix: {name: 'felix'}})
   *   .getSortedRowIds({tableId: 'pets', cellId: 'name', sorter: (a, b) => String(a).localeCompare(String(b))}); // ['felix', 'fido']
   * ```
   */
  getSortedRowIds(args: SortedRowIdsArgs): Id[];
  /**
   * One row (`{}` when missing).
   * @example
   * ```ts
   * createStore().setRow('t', 'r', {a: 1}).getRow('t', 'r'); // {a: 1}
   * ```
   */
  getRow(tableId: IdLike, rowId: IdLike): Row;
  /**
   * The ids of a row's cells.
   * @example
   * ```ts
   * createStore().setRow('t', 'r', {a: 1, b: 2}).getCellIds('t', 'r'); // ['a', 'b']
   * ```
   */
  getCellIds(tableId: IdLike, rowId: IdLike): Id[];
  /**
   * One cell, or `undefined`.
   * @example
   * ```ts
   * createStore().setCell('t', 'r', 'c', 1).getCell('t', 'r', 'c'); // 1
   * ```
   */
  getCell(tableId: IdLike, rowId: IdLike, cellId: IdLike): Cell | undefined;
  /**
   * All values.
   * @example
   * ```ts
   * createStore().setValue('open', true).getValues(); // {open: true}
   * ```
   */
  getValues(): Values;
  /**
   * The ids of the values, in insertion order.
   * @example
   * ```ts
   * createStore().setValues({a: 1, b: 2}).getValueIds(); // ['a', 'b']
   * ```
   */
  getValueIds(): Id[];
  /**
   * One value, or `undefined`.
   * @example
   * ```ts
   * createStore().setValue('open', true).getValue('open'); // true
   * ```
   */
  getValue(valueId: IdLike): Value | undefined;

  // ---- Has ----

  /**
   * Whether any table exists.
   * @example
   * ```ts
   * createStore().hasTables(); // false
   * ```
   */
  hasTables(): boolean;
  /**
   * Whether a table exists (has at least one row).
   * @example
   * ```ts
   * createStore().setCell('t', 'r', 'c', 1).hasTable('t'); // true
   * ```
   */
  hasTable(tableId: IdLike): boolean;
  /**
   * Whether any row of a table has this cell.
   * @example
   * ```ts
   * createStore().setCell('t', 'r', 'c', 1).hasTableCell('t', 'c'); // true
   * ```
   */
  hasTableCell(tableId: IdLike, cellId: IdLike): boolean;
  /**
   * Whether a row exists (has at least one cell).
   * @example
   * ```ts
   * createStore().setCell('t', 'r', 'c', 1).hasRow('t', 'r'); // true
   * ```
   */
  hasRow(tableId: IdLike, rowId: IdLike): boolean;
  /**
   * Whether a cell exists.
   * @example
   * ```ts
   * createStore().setCell('t', 'r', 'c', null).hasCell('t', 'r', 'c'); // true
   * ```
   */
  hasCell(tableId: IdLike, rowId: IdLike, cellId: IdLike): boolean;
  /**
   * Whether any value exists.
   * @example
   * ```ts
   * createStore().setValue('v', 0).hasValues(); // true
   * ```
   */
  hasValues(): boolean;
  /**
   * Whether a value exists.
   * @example
   * ```ts
   * createStore().hasValue('v'); // false
   * ```
   */
  hasValue(valueId: IdLike): boolean;

  // ---- Setters ----

  /**
   * Replaces tables and values, as one transaction.
   * @example
   * ```ts
   * createStore().setContent([{t: {r: {c: 1}}}, {open: true}]).getValues(); // {open: true}
   * ```
   */
  setContent(content: Content | (() => Content)): Store;
  /**
   * Replaces all tables (`{}` deletes them all).
   * @example
   * ```ts
   * createStore().setTables({pets: {fido: {species: 'dog'}}}).getTableIds(); // ['pets']
   * ```
   */
  setTables(tables: Tables): Store;
  /**
   * Replaces one table (`{}` deletes it).
   * @example
   * ```ts
   * createStore().setTable('pets', {fido: {species: 'dog'}}).getRowIds('pets'); // ['fido']
   * ```
   */
  setTable(tableId: IdLike, table: Table): Store;
  /**
   * Replaces one row (`{}` deletes it); an overwritten row keeps its place.
   * @example
   * ```ts
   * createStore().setRow('pets', 'fido', {species: 'dog'}).getRow('pets', 'fido'); // {species: 'dog'}
   * ```
   */
  setRow(tableId: IdLike, rowId: IdLike, row: Row): Store;
  /**
   * Sets some cells of a row, leaving the others.
   * @example
   * ```ts
   * createStore()
   *   .setRow('pets', 'fido', {species: 'dog'})
   *   .setPartialRow('pets', 'fido', {color: 'brown'})
   *   .getRow('pets', 'fido'); // {species: 'dog', color: 'brown'}
   * ```
   */
  setPartialRow(tableId: IdLike, rowId: IdLike, partialRow: Row): Store;
  /**
   * Sets one cell, to a value or to what a mapper returns from the old cell.
   * @example
   * ```ts
   * const store = createStore().setCell('t', 'r', 'n', 1);
   * store.setCell('t', 'r', 'n', (n) => Number(n) + 1).getCell('t', 'r', 'n'); // 2
   * ```
   */
  setCell(tableId: IdLike, rowId: IdLike, cellId: IdLike, cell: Cell | MapCell): Store;
  /**
   * Adds a row under a new id (`'0'`, `'1'`, ... skipping ids in use); returns the id,
   * or `undefined` if the row was empty or invalid.
   * @example
   * ```ts
   * createStore().addRow('pets', {species: 'cat'}); // '0'
   * ```
   */
  addRow(tableId: IdLike, row: Row): Id | undefined;
  /**
   * Replaces all values (`{}` deletes them all).
   * @example
   * ```ts
   * createStore().setValues({open: true, employees: 3}).getValue('employees'); // 3
   * ```
   */
  setValues(values: Values): Store;
  /**
   * Sets some values, leaving the others.
   * @example
   * ```ts
   * createStore().setValues({a: 1}).setPartialValues({b: 2}).getValues(); // {a: 1, b: 2}
   * ```
   */
  setPartialValues(partialValues: Values): Store;
  /**
   * Sets one value, to a value or to what a mapper returns from the old value.
   * @example
   * ```ts
   * createStore().setValue('open', true).setValue('open', (o) => !o).getValue('open'); // false
   * ```
   */
  setValue(valueId: IdLike, value: Value | MapValue): Store;
  /**
   * Applies a `Changes` object (as from `getTransactionChanges`) as one transaction.
   * @example
   * ```ts
   * createStore()
   *   .setRow('t', 'r', {a: 1, b: 2})
   *   .applyChanges([{t: {r: {b: undefined, c: 3}}}, {v: 1}, 1])
   *   .getContent(); // [{t: {r: {a: 1, c: 3}}}, {v: 1}]
   * ```
   */
  applyChanges(changes: Changes): Store;

  // ---- Deleters ----

  /**
   * Deletes all tables.
   * @example
   * ```ts
   * createStore().setCell('t', 'r', 'c', 1).delTables().hasTables(); // false
   * ```
   */
  delTables(): Store;
  /**
   * Deletes one table.
   * @example
   * ```ts
   * createStore().setCell('t', 'r', 'c', 1).delTable('t').hasTable('t'); // false
   * ```
   */
  delTable(tableId: IdLike): Store;
  /**
   * Deletes one row (and its table, if it was the last row).
   * @example
   * ```ts
   * createStore().setCell('t', 'r', 'c', 1).delRow('t', 'r').getTables(); // {}
   * ```
   */
  delRow(tableId: IdLike, rowId: IdLike): Store;
  /**
   * Deletes one cell (and its row, if it was the last cell). Under a schema with a
   * default for the cell, the cell goes back to the default instead.
   * @example
   * ```ts
   * createStore().setRow('t', 'r', {a: 1, b: 2}).delCell('t', 'r', 'a').getRow('t', 'r'); // {b: 2}
   * ```
   */
  delCell(tableId: IdLike, rowId: IdLike, cellId: IdLike): Store;
  /**
   * Deletes all values (those with a schema default go back to it).
   * @example
   * ```ts
   * createStore().setValue('v', 1).delValues().hasValues(); // false
   * ```
   */
  delValues(): Store;
  /**
   * Deletes one value (one with a schema default goes back to it).
   * @example
   * ```ts
   * createStore().setValue('v', 1).delValue('v').getValue('v'); // undefined
   * ```
   */
  delValue(valueId: IdLike): Store;

  // ---- Iterators ----

  /**
   * Calls `callback` for each table, with a function that iterates its rows (each with
   * a function that iterates its cells, as in forEachRow).
   * @example
   * ```ts
   * store.forEachTable((tableId, forEachRow) => forEachRow((rowId) => console.log(tableId, rowId)));
   * ```
   */
  forEachTable(
    callback: (
      tableId: Id,
      forEachRow: (
        rowCallback: (
          rowId: Id,
          forEachCell: (cellCallback: (cellId: Id, cell: Cell) => void) => void,
        ) => void,
      ) => void,
    ) => void,
  ): void;
  /**
   * Calls `callback` for each row of a table, with a function that iterates its cells.
   * @example
   * ```ts
   * store.forEachRow('pets', (rowId, forEachCell) => forEachCell((cellId, cell) => console.log(rowId, cellId, cell)));
   * ```
   */
  forEachRow(
    tableId: IdLike,
    callback: (
      rowId: Id,
      forEachCell: (cellCallback: (cellId: Id, cell: Cell) => void) => void,
    ) => void,
  ): void;
  /**
   * Calls `callback` for each cell of a row.
   * @example
   * ```ts
   * store.forEachCell('pets', 'fido', (cellId, cell) => console.log(cellId, cell));
   * ```
   */
  forEachCell(tableId: IdLike, rowId: IdLike, callback: (cellId: Id, cell: Cell) => void): void;
  /**
   * Calls `callback` for each value.
   * @example
   * ```ts
   * store.forEachValue((valueId, value) => console.log(valueId, value));
   * ```
   */
  forEachValue(callback: (valueId: Id, value: Value) => void): void;
  /**
   * Calls back with each cell id used in a table and how many rows have it.
   * @example
   * ```ts
   * store.forEachTableCell('pets', (cellId, count) => console.log(cellId, count));
   * ```
   */
  forEachTableCell(tableId: IdLike, callback: (cellId: Id, count: number) => void): void;

  // ---- JSON ----

  /**
   * The content as `'[{tables},{values}]'`.
   * @example
   * ```ts
   * createStore().setValue('v', 1).getJson(); // '[{},{"v":1}]'
   * ```
   */
  getJson(): string;
  /**
   * The tables as JSON.
   * @example
   * ```ts
   * createStore().setCell('t', 'r', 'c', 1).getTablesJson(); // '{"t":{"r":{"c":1}}}'
   * ```
   */
  getTablesJson(): string;
  /**
   * The values as JSON.
   * @example
   * ```ts
   * createStore().setValue('v', 1).getValuesJson(); // '{"v":1}'
   * ```
   */
  getValuesJson(): string;
  /**
   * A full replace from `'[{tables},{values}]'`; bad JSON leaves the store untouched
   * (and is reported to the invalid-cell listeners under empty ids).
   * @example
   * ```ts
   * createStore().setJson('[{"t":{"r":{"c":1}}},{}]').getCell('t', 'r', 'c'); // 1
   * ```
   */
  setJson(json: string): Store;
  /**
   * Replaces all tables from their JSON (values stay); bad JSON leaves the store untouched.
   * @example
   * ```ts
   * createStore().setTablesJson('{"t":{"r":{"c":1}}}').getTables(); // {t: {r: {c: 1}}}
   * ```
   */
  setTablesJson(json: string): Store;
  /**
   * Replaces all values from their JSON (tables stay); bad JSON leaves the store untouched.
   * @example
   * ```ts
   * createStore().setValuesJson('{"open":true}').getValues(); // {open: true}
   * ```
   */
  setValuesJson(json: string): Store;

  // ---- Schemas ----

  /**
   * Restricts tables to the schema: other tables and cells are refused, a cell of the
   * wrong type falls back to its default (else is refused), rows get the defaults of
   * missing cells. Existing data is checked at once; what it drops is reported to the
   * invalid-cell listeners. A malformed schema throws a TypeError.
   * @example
   * ```ts
   * createStore()
   *   .setTablesSchema({pets: {species: {type: 'string'}, sold: {type: 'boolean', default: false}}})
   *   .setRow('pets', 'fido', {species: 'dog'})
   *   .getRow('pets', 'fido'); // {species: 'dog', sold: false}
   * ```
   */
  setTablesSchema(tablesSchema: TablesSchema): Store;
  /**
   * Restricts values to the schema, like `setTablesSchema`; values with a default always exist.
   * @example
   * ```ts
   * createStore().setValuesSchema({open: {type: 'boolean', default: true}}).getValues(); // {open: true}
   * ```
   */
  setValuesSchema(valuesSchema: ValuesSchema): Store;
  /**
   * Removes the tables schema; the data stays as it is.
   * @example
   * ```ts
   * store.delTablesSchema().setCell('any', 'r', 'c', 'now allowed');
   * ```
   */
  delTablesSchema(): Store;
  /**
   * Removes the values schema; the data stays as it is.
   * @example
   * ```ts
   * store.delValuesSchema().setValue('any', 'now allowed');
   * ```
   */
  delValuesSchema(): Store;
  /**
   * Sets the tables schema and, when given, the values schema, in one transaction; if
   * either is malformed it throws a TypeError and neither changes.
   * @example
   * ```ts
   * createStore()
   *   .setSchema({pets: {tags: {type: 'array', default: []}}}, {open: {type: 'boolean', default: true}})
   *   .setRow('pets', 'fido', {})
   *   .getContent(); // [{}, {open: true}]
   * ```
   */
  setSchema(tablesSchema: TablesSchema, valuesSchema?: ValuesSchema): Store;
  /**
   * Removes both schemas; the data stays as it is.
   * @example
   * ```ts
   * createStore().setValuesSchema({a: {type: 'number'}}).delSchema().hasValuesSchema(); // false
   * ```
   */
  delSchema(): Store;
  /**
   * Whether a tables schema is set.
   * @example
   * ```ts
   * createStore().setTablesSchema({t: {c: {type: 'string'}}}).hasTablesSchema(); // true
   * ```
   */
  hasTablesSchema(): boolean;
  /**
   * Whether a values schema is set.
   * @example
   * ```ts
   * createStore().hasValuesSchema(); // false
   * ```
   */
  hasValuesSchema(): boolean;
  /**
   * The tables schema as JSON (`'{}'` when none), with only the keys a schema knows.
   * @example
   * ```ts
   * createStore().setTablesSchema({t: {c: {type: 'number', default: 0}}}).getTablesSchemaJson(); // '{"t":{"c":{"type":"number","default":0}}}'
   * ```
   */
  getTablesSchemaJson(): string;
  /**
   * The values schema as JSON (`'{}'` when none).
   * @example
   * ```ts
   * createStore().setValuesSchema({v: {enum: ['a', 'b'], allowNull: true}}).getValuesSchemaJson(); // '{"v":{"enum":["a","b"],"allowNull":true}}'
   * ```
   */
  getValuesSchemaJson(): string;
  /**
   * Both schemas as the JSON of `[tablesSchema, valuesSchema]`.
   * @example
   * ```ts
   * createStore().getSchemaJson(); // '[{},{}]'
   * ```
   */
  getSchemaJson(): string;

  // ---- Listeners: each returns an id for delListener; a null id is a wildcard. ----
  // Listeners fire once per transaction, after it, only when what they watch changed.
  // Data and invalid listeners take a last `mutator` argument: with `true` they run inside
  // the transaction, before the others, and what they write joins it. Id listeners get
  // getIdChanges last; cell, row, table and tables listeners getCellChange; value and
  // values listeners getValueChange.

  /**
   * Listens to any change in any table.
   * @example
   * ```ts
   * store.addTablesListener((store) => console.log(store.getTables()));
   * ```
   */
  addTablesListener(listener: TablesListener, mutator?: boolean): Id;
  /**
   * Listens to tables being added or removed.
   * @example
   * ```ts
   * store.addTableIdsListener((store) => console.log(store.getTableIds()));
   * ```
   */
  addTableIdsListener(listener: TableIdsListener, mutator?: boolean): Id;
  /**
   * Listens to any change in a table (`null`: any table).
   * @example
   * ```ts
   * store.addTableListener('pets', (store, tableId) => console.log(store.getTable(tableId)));
   * ```
   */
  addTableListener(tableId: IdOrNull, listener: TableListener, mutator?: boolean): Id;
  /**
   * Listens to the set of cell ids used in a table changing.
   * @example
   * ```ts
   * store.addTableCellIdsListener('pets', (store, tableId) => console.log(store.getTableCellIds(tableId)));
   * ```
   */
  addTableCellIdsListener(tableId: IdOrNull, listener: TableCellIdsListener, mutator?: boolean): Id;
  /**
   * Listens to a cell id starting or ceasing to be used by any row of a table.
   * @example
   * ```ts
   * store.addHasTableCellListener('pets', 'price', (_s, _t, _c, hasTableCell) => console.log(hasTableCell));
   * ```
   */
  addHasTableCellListener(
    tableId: IdOrNull,
    cellId: IdOrNull,
    listener: HasTableCellListener,
    mutator?: boolean,
  ): Id;
  /**
   * Listens to a table's row count changing; gets the new count.
   * @example
   * ```ts
   * store.addRowCountListener('pets', (_store, _tableId, count) => console.log(count));
   * ```
   */
  addRowCountListener(tableId: IdOrNull, listener: RowCountListener, mutator?: boolean): Id;
  /**
   * Listens to rows being added to or removed from a table.
   * @example
   * ```ts
   * store.addRowIdsListener('pets', (store, tableId) => console.log(store.getRowIds(tableId)));
   * ```
   */
  addRowIdsListener(tableId: IdOrNull, listener: RowIdsListener, mutator?: boolean): Id;
  /**
   * Listens to a sorted, sliced list of row ids changing; gets the new list.
   * @example
   * ```ts
   * store.addSortedRowIdsListener('pets', 'price', false, 0, 10, (...[, , , , , , ids]) => console.log(ids));
   * ```
   */
  addSortedRowIdsListener(
    tableId: IdLike,
    cellId: IdLike | undefined,
    descending: boolean,
    offset: number,
    limit: number | undefined,
    listener: SortedRowIdsListener,
    mutator?: boolean,
  ): Id;
  /**
   * addSortedRowIdsListener with the sort as one object (a `sorter` may be given).
   * @example
   * ```ts
   * store.addSortedRowIdsListener({tableId: 'pets', cellId: 'price', limit: 3}, (...[, , , , , , ids]) => console.log(ids));
   * ```
   */
  addSortedRowIdsListener(
    args: SortedRowIdsArgs,
    listener: SortedRowIdsListener,
    mutator?: boolean,
  ): Id;
  /**
   * Listens to any change in a row.
   * @example
   * ```ts
   * store.addRowListener('pets', null, (store, tableId, rowId) => console.log(store.getRow(tableId, rowId)));
   * ```
   */
  addRowListener(tableId: IdOrNull, rowId: IdOrNull, listener: RowListener, mutator?: boolean): Id;
  /**
   * Listens to cells being added to or removed from a row.
   * @example
   * ```ts
   * store.addCellIdsListener('pets', 'fido', (store, t, r) => console.log(store.getCellIds(t, r)));
   * ```
   */
  addCellIdsListener(
    tableId: IdOrNull,
    rowId: IdOrNull,
    listener: CellIdsListener,
    mutator?: boolean,
  ): Id;
  /**
   * Listens to a cell changing; gets the new and the old cell (`undefined`: none).
   * @example
   * ```ts
   * store.addCellListener('pets', null, 'price', (_s, _t, rowId, _c, newCell, oldCell) =>
   *   console.log(rowId, oldCell, '->', newCell));
   * ```
   */
  addCellListener(
    tableId: IdOrNull,
    rowId: IdOrNull,
    cellId: IdOrNull,
    listener: CellListener,
    mutator?: boolean,
  ): Id;
  /**
   * Listens to the store gaining its first table or losing its last.
   * @example
   * ```ts
   * store.addHasTablesListener((_store, hasTables) => console.log(hasTables));
   * ```
   */
  addHasTablesListener(listener: HasTablesListener, mutator?: boolean): Id;
  /**
   * Listens to a table starting or ceasing to exist.
   * @example
   * ```ts
   * store.addHasTableListener('pets', (_store, _tableId, hasTable) => console.log(hasTable));
   * ```
   */
  addHasTableListener(tableId: IdOrNull, listener: HasTableListener, mutator?: boolean): Id;
  /**
   * Listens to a row starting or ceasing to exist.
   * @example
   * ```ts
   * store.addHasRowListener('pets', 'fido', (_s, _t, _r, hasRow) => console.log(hasRow));
   * ```
   */
  addHasRowListener(
    tableId: IdOrNull,
    rowId: IdOrNull,
    listener: HasRowListener,
    mutator?: boolean,
  ): Id;
  /**
   * Listens to a cell starting or ceasing to exist.
   * @example
   * ```ts
   * store.addHasCellListener('pets', 'fido', 'price', (_s, _t, _r, _c, hasCell) => console.log(hasCell));
   * ```
   */
  addHasCellListener(
    tableId: IdOrNull,
    rowId: IdOrNull,
    cellId: IdOrNull,
    listener: HasCellListener,
    mutator?: boolean,
  ): Id;
  /**
   * Listens to any change in the values.
   * @example
   * ```ts
   * store.addValuesListener((store) => console.log(store.getValues()));
   * ```
   */
  addValuesListener(listener: ValuesListener, mutator?: boolean): Id;
  /**
   * Listens to values being added or removed.
   * @example
   * ```ts
   * store.addValueIdsListener((store) => console.log(store.getValueIds()));
   * ```
   */
  addValueIdsListener(listener: ValueIdsListener, mutator?: boolean): Id;
  /**
   * Listens to a value changing; gets the new and the old value.
   * @example
   * ```ts
   * store.addValueListener('open', (_store, _id, newValue, oldValue) => console.log(oldValue, '->', newValue));
   * ```
   */
  addValueListener(valueId: IdOrNull, listener: ValueListener, mutator?: boolean): Id;
  /**
   * Listens to the store gaining its first value or losing its last.
   * @example
   * ```ts
   * store.addHasValuesListener((_store, hasValues) => console.log(hasValues));
   * ```
   */
  addHasValuesListener(listener: HasValuesListener, mutator?: boolean): Id;
  /**
   * Listens to a value starting or ceasing to exist.
   * @example
   * ```ts
   * store.addHasValueListener('open', (_store, _id, hasValue) => console.log(hasValue));
   * ```
   */
  addHasValueListener(valueId: IdOrNull, listener: HasValueListener, mutator?: boolean): Id;
  /**
   * Hears about refused cell writes, after the transaction: every refused input for that
   * cell, in order. Inputs that are not objects are reported under `''` ids.
   * @example
   * ```ts
   * store.addInvalidCellListener(null, null, null, (_s, t, r, c, invalid) => console.warn(t, r, c, invalid));
   * ```
   */
  addInvalidCellListener(
    tableId: IdOrNull,
    rowId: IdOrNull,
    cellId: IdOrNull,
    listener: InvalidCellListener,
    mutator?: boolean,
  ): Id;
  /**
   * Hears about refused value writes, after the transaction.
   * @example
   * ```ts
   * store.addInvalidValueListener(null, (_store, valueId, invalid) => console.warn(valueId, invalid));
   * ```
   */
  addInvalidValueListener(valueId: IdOrNull, listener: InvalidValueListener, mutator?: boolean): Id;
  /**
   * Called when an outermost transaction starts.
   * @example
   * ```ts
   * store.addStartTransactionListener(() => console.log('start'));
   * ```
   */
  addStartTransactionListener(listener: TransactionListener): Id;
  /**
   * Called as an outermost transaction ends, before data listeners; writes made here
   * join the transaction.
   * @example
   * ```ts
   * store.addWillFinishTransactionListener((store) => store.setValue('edited', Date.now()));
   * ```
   */
  addWillFinishTransactionListener(listener: TransactionListener): Id;
  /**
   * Called after a transaction and its data listeners; `getTransactionChanges()` gives
   * its net changes here. Called for every transaction, even one that changed nothing.
   * @example
   * ```ts
   * store.addDidFinishTransactionListener((store) => save(store.getTransactionChanges()));
   * ```
   */
  addDidFinishTransactionListener(listener: TransactionListener): Id;
  /**
   * Row-level change events: one call per table and type per transaction, with every
   * affected row id. `'create'`: the row did not exist before; `'update'`: it existed
   * before and after (an overwrite is an update); `'delete'`: it existed before and not
   * after, while its table still exists; `'clear'`: the whole table is gone (all its
   * rows deleted), with the ids of the rows it had.
   * @example
   * ```ts
   * store.addRowChangesListener('users', (store, tableId, type, rowIds) => sync(type, rowIds));
   * ```
   */
  addRowChangesListener(tableId: IdOrNull, listener: RowChangesListener, mutator?: boolean): Id;
  /**
   * Removes a listener.
   * @example
   * ```ts
   * const id = store.addTablesListener(() => {});
   * store.delListener(id);
   * ```
   */
  delListener(listenerId: Id): Store;
  /**
   * Calls a listener now with the current state: once per existing id its wildcards
   * match (an explicit id is used as is). Invalid listeners are not called.
   * @example
   * ```ts
   * store.callListener(store.addRowCountListener('pets', (_s, _t, count) => render(count)));
   * ```
   */
  callListener(listenerId: Id): Store;
  /**
   * How many listeners of each kind are registered.
   * @example
   * ```ts
   * createStore().getListenerStats().cell; // 0
   * ```
   */
  getListenerStats(): ListenerStats;

  // ---- Transactions ----

  /**
   * Runs `actions` as one transaction and returns what they return. Listeners fire once,
   * after the outermost transaction. If `doRollback` (outermost only) returns true, or the
   * actions throw, every change is undone and no data listener fires.
   * @example
   * ```ts
   * store.transaction(() => store.setCell('t', 'r', 'a', 1).setCell('t', 'r', 'b', 2));
   * ```
   */
  transaction<Return>(actions: () => Return, doRollback?: (changes: Changes) => boolean): Return;
  /**
   * Opens a transaction (they nest); pair it with `finishTransaction`.
   * @example
   * ```ts
   * store.startTransaction().setCell('t', 'r', 'c', 1).finishTransaction();
   * ```
   */
  startTransaction(): Store;
  /**
   * Closes a transaction; closing the outermost one fires the listeners. An unbalanced
   * call is ignored.
   * @example
   * ```ts
   * store.startTransaction().setValue('v', 1).finishTransaction((changes) => !isAllowed(changes));
   * ```
   */
  finishTransaction(doRollback?: (changes: Changes) => boolean): Store;
  /**
   * The net changes of the transaction being finished (in did-finish and data listeners),
   * or of the open transaction so far; `[{}, {}, 1]` otherwise. A fresh object each call.
   * @example
   * ```ts
   * store.addDidFinishTransactionListener((store) => console.log(store.getTransactionChanges()));
   * ```
   */
  getTransactionChanges(): Changes;
  /**
   * The transaction log, in TinyBase's shape: in start, will-finish and mutator listeners
   * that of the open transaction so far, in did-finish and data listeners that of the
   * transaction just finished; an empty log otherwise.
   * @example
   * ```ts
   * createStore().getTransactionLog(); // [false, false, {}, {}, {}, {}, {}, {}, {}, {}]
   * ```
   */
  getTransactionLog(): TransactionLog;
  /**
   * Added: the cells and values that setting a schema removed from the store (or
   * replaced by a default) in the open transaction, or in the one whose listeners
   * are running, each with the value it had, as `[tables, values]` (fresh copies).
   * Its invalid listeners heard of them too; this tells a drop from a refused write.
   * @example
   * ```ts
   * const store = createStore().setCell('pets', 'fido', 'legs', 'four');
   * store.addDidFinishTransactionListener((store) => console.log(store.getSchemaDrops()));
   * store.setTablesSchema({pets: {legs: {type: 'number'}}});
   * // -> [{pets: {fido: {legs: 'four'}}}, {}]
   * ```
   */
  getSchemaDrops(): Content;
  /**
   * Always false: this store is not a mergeable (CRDT) store.
   * @example
   * ```ts
   * createStore().isMergeable(); // false
   * ```
   */
  isMergeable(): boolean;
}
