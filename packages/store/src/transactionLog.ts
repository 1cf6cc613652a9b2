// The log of one transaction: what it touched and the first old value of each cell
// and value it touched. Net changes, listener calls and rollback are computed from it.
import type {Stored} from './objects';
import type {Id} from './types';

/**
 * What a transaction touched in one row: whether it existed, and each cell's first old
 * value. A row that did not exist when the transaction started needs no old values.
 */
export type RowLog =
  | {had: true; cells: Map<Id, Stored | undefined>}
  | {had: false; cells?: undefined};

/** What a transaction touched in one table; `ids` holds table-cell-id existence before. */
export type TableLog = {
  had: boolean;
  count: number;
  rows: Map<Id, RowLog>;
  ids?: Map<Id, boolean>;
};

export type TransactionLog = {
  tables: Map<Id, TableLog>;
  values: Map<Id, Stored | undefined>;
  hadTables: boolean;
  hadValues: boolean;
  /** Refused inputs, per cell and per value, kept only while invalid listeners exist. */
  badCells?: Map<Id, Map<Id, Map<Id, unknown[]>>>;
  badValues?: Map<Id, unknown[]>;
  /** What setting a schema removed (or replaced by a default), with the value it had. */
  droppedCells?: Map<Id, Map<Id, Map<Id, Stored>>>;
  droppedValues?: Map<Id, Stored>;
};

/** The log of every row created by a transaction (shared: it holds nothing). */
export const NEW_ROW: RowLog = {had: false};

export const newTransactionLog = (): TransactionLog => ({
  tables: new Map(),
  values: new Map(),
  hadTables: false,
  hadValues: false,
});

/** Empties a log for reuse (two logs take turns, so a transaction allocates no log). */
export const clearTransactionLog = (log: TransactionLog): void => {
  if (log.tables.size) log.tables = new Map();
  if (log.values.size) log.values = new Map();
  log.badCells = log.badValues = log.droppedCells = log.droppedValues = undefined;
};

/**
 * A copy of a log that later writes do not change (for the mutator listeners' pass): its
 * own Maps of tables, rows and cells (table-cell-id existence is shared: later writes
 * only add to it).
 */
export const copyLog = (log: TransactionLog): TransactionLog => ({
  ...log,
  tables: new Map(
    [...log.tables].map(([t, table]) => [
      t,
      {
        ...table,
        rows: new Map(
          [...table.rows].map(([r, row]) => [
            r,
            row.cells ? {had: true, cells: new Map(row.cells)} : row,
          ]),
        ),
      },
    ]),
  ),
  values: new Map(log.values),
});
