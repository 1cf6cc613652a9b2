// Every listener kind, and one listener tree per kind.
import type {Tree} from './listenerTree';
import {keysOf} from './objects';

/**
 * Every listener kind: how many ids its adder takes (its path), and how many arguments
 * its listeners get after the store. `add<Kind>Listener` is generated from this table.
 */
export const KIND_SPEC = {
  tables: [0, 1],
  tableIds: [0, 1],
  table: [1, 2],
  tableCellIds: [1, 2],
  hasTableCell: [2, 3],
  rowCount: [1, 2],
  rowIds: [1, 2],
  sortedRowIds: [1, 6],
  row: [2, 3],
  cellIds: [2, 3],
  cell: [3, 6],
  hasTables: [0, 1],
  hasTable: [1, 2],
  hasRow: [2, 3],
  hasCell: [3, 4],
  values: [0, 1],
  valueIds: [0, 1],
  value: [1, 4],
  hasValues: [0, 1],
  hasValue: [1, 2],
  invalidCell: [3, 4],
  invalidValue: [1, 2],
  startTransaction: [0, 0],
  willFinishTransaction: [0, 0],
  didFinishTransaction: [0, 0],
  rowChanges: [1, 3],
} as const;

export type Kind = keyof typeof KIND_SPEC;

export const KINDS = keysOf(KIND_SPEC) as Kind[];

/** The three transaction kinds, counted together by getListenerStats. */
export const isTransactionKind = (kind: string): boolean => kind.endsWith('Transaction');

/** The listeners of a store: one tree per kind, keyed by the ids they watch. */
export type ListenerTrees = Record<Kind, Tree>;

export const newListenerTrees = (): ListenerTrees => {
  const trees = {} as ListenerTrees;
  for (const kind of KINDS) trees[kind] = new Map();
  return trees;
};
