// The total order used by getSortedRowIds: missing < null < booleans < numbers
// < strings; within a type the natural order (strings by UTF-16 code units).
import type {Cell, Id} from './types';

const rank = (x: Cell | undefined): number =>
  x === undefined ? 0 : x === null ? 1 : typeof x === 'boolean' ? 2 : typeof x === 'number' ? 3 : 4;

export const compareCells = (a: Cell | undefined, b: Cell | undefined): number =>
  rank(a) - rank(b) || ((a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0);

/** The row ids of a table sorted by a cell (by row id without one), then sliced. */
export const sortRowIds = (
  table: Map<Id, Map<Id, Cell>> | undefined,
  cellId: Id | undefined,
  descending: boolean,
  offset: number,
  limit: number | undefined,
): Id[] => {
  if (!table) return [];
  const ids = [...table.keys()];
  ids.sort((a, b) => {
    const order =
      (cellId === undefined
        ? 0
        : compareCells(table.get(a)!.get(cellId), table.get(b)!.get(cellId))) || compareCells(a, b);
    return descending ? -order : order;
  });
  return ids.slice(offset, limit === undefined ? undefined : offset + limit);
};
