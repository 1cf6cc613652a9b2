// The total order used by getSortedRowIds: missing < null < booleans < numbers
// < strings; within a type the natural order (strings by UTF-16 code units).
import type {Cell} from './types';

const rank = (x: Cell | undefined): number =>
  x === undefined ? 0 : x === null ? 1 : typeof x === 'boolean' ? 2 : typeof x === 'number' ? 3 : 4;

export const compareCells = (a: Cell | undefined, b: Cell | undefined): number =>
  rank(a) - rank(b) || ((a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0);
