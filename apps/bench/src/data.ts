// The data every scenario uses, built the same way for both libraries so that
// neither side gets an easier shape. Deterministic: no randomness, no clock.
import type {Row, Store, Tables} from '@x/store';
import type {Lib} from './types';

export const TABLE = 't';

/** Row `i`: five cells of mixed types (number, string, boolean, float, short string). */
export const makeRow = (i: number): Row => ({
  n: i,
  s: `row ${i}`,
  b: i % 2 === 0,
  f: i / 8,
  c: `cat${i % 10}`,
});

export const rowId = (i: number): string => `r${i}`;

/** `{t: {r0: row0, r1: row1, ...}}` with `rows` rows. */
export const makeTables = (rows: number): Tables => {
  const table: Tables[string] = {};
  for (let i = 0; i < rows; i++) table[rowId(i)] = makeRow(i);
  return {[TABLE]: table};
};

/** A fresh store of the given library holding `rows` rows. */
export const makeStore = (lib: Pick<Lib, 'createStore'>, rows: number): Store =>
  lib.createStore().setTables(makeTables(rows));

/** A count for titles: 100000 -> "100,000". */
export const n = (count: number): string => count.toLocaleString('en-US');
