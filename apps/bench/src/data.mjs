// The data every scenario uses, built the same way for both libraries so that
// neither side gets an easier shape. Deterministic: no randomness, no clock.

export const TABLE = 't';

/** Row `i`: five cells of mixed types (number, string, boolean, float, short string). */
export const makeRow = (i) => ({n: i, s: `row ${i}`, b: i % 2 === 0, f: i / 8, c: `cat${i % 10}`});

export const rowId = (i) => `r${i}`;

/** `{t: {r0: row0, r1: row1, ...}}` with `rows` rows. */
export const makeTables = (rows) => {
  const table = {};
  for (let i = 0; i < rows; i++) table[rowId(i)] = makeRow(i);
  return {[TABLE]: table};
};

/** A fresh store of the given library holding `rows` rows. */
export const makeStore = (lib, rows) => lib.createStore().setTables(makeTables(rows));

/** A count for titles: 100000 -> "100,000". */
export const n = (count) => count.toLocaleString('en-US');
