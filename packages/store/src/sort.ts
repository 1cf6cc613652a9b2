// The total order used by getSortedRowIds: missing < null < booleans < numbers
// < strings; within a type the natural order (strings by UTF-16 code units).
import {fromStored, type Stored} from './objects';
import type {Id, Sorter} from './types';

const rank = (x: Stored | undefined): number =>
  x === undefined ? 0 : x === null ? 1 : typeof x === 'boolean' ? 2 : typeof x === 'number' ? 3 : 4;

export const compareCells = (a: Stored | undefined, b: Stored | undefined): number =>
  rank(a) - rank(b) || ((a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0);

/**
 * The row ids of a table sorted by a cell (by row id without one), then sliced. A
 * `sorter` compares the cells as the user sees them, and its ties keep the rows'
 * order (as in TinyBase); the built-in order breaks ties by row id.
 */
export const sortRowIds = (
  table: Map<Id, Map<Id, Stored>> | undefined,
  cellId: Id | undefined,
  descending: boolean,
  offset: number,
  limit: number | undefined,
  sorter?: Sorter,
): Id[] => {
  if (!table) return [];
  const ids = [...table.keys()];
  const cellOf = (r: Id) => (cellId === undefined ? r : table.get(r)!.get(cellId));
  ids.sort((a, b) => {
    const order = sorter
      ? sorter(fromStored(cellOf(a)), fromStored(cellOf(b)))
      : (cellId === undefined ? 0 : compareCells(cellOf(a), cellOf(b))) || compareCells(a, b);
    return descending ? -order : order;
  });
  return ids.slice(offset, limit === undefined ? undefined : offset + limit);
};
