// Any content a store can hold, for round-trip properties: odd ids included
// (`__proto__`, unicode), every kind of cell.
import type {Cell, Content} from '@x/store';
import fc from 'fast-check';
import {setOwn} from '../own-property';

const id = fc.oneof(
  fc.string({minLength: 1, maxLength: 6}),
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'a.b', 'ünï 🦊'),
);

const scalar = fc.oneof(
  fc.string({maxLength: 12, unit: 'grapheme'}),
  fc.integer(),
  // -0 is stored as 0 by JSON: compare what a user can tell apart.
  fc.double({noNaN: true, noDefaultInfinity: true}).map((n) => (Object.is(n, -0) ? 0 : n)),
  fc.boolean(),
  fc.constant(null),
);

/**
 * Keys inside JSON cells: odd ones, but not `__proto__` or `constructor`, which
 * Yjs cannot hold inside a plain object (ids with those names are covered above).
 */
const jsonKey = id.filter((key) => key !== '__proto__' && key !== 'constructor');

/** Small JSON objects and arrays. */
const json = fc.letrec<{json: unknown}>((tie) => ({
  json: fc.oneof(
    {depthSize: 'small', withCrossShrink: true},
    scalar,
    fc.array(tie('json'), {maxLength: 3}),
    fc.array(fc.tuple(jsonKey, tie('json')), {maxLength: 3}).map((entries) => {
      const object: {[key: string]: unknown} = {};
      for (const [key, inner] of entries) setOwn(object, key, inner);
      return object;
    }),
  ),
})).json;

const cell: fc.Arbitrary<Cell> = fc.oneof(
  {weight: 4, arbitrary: scalar},
  {
    weight: 1,
    arbitrary: json.filter(
      (value) => typeof value === 'object' && value !== null,
    ) as fc.Arbitrary<Cell>,
  },
);

/** A dictionary with own properties only, whatever the ids. */
const record = <T>(value: fc.Arbitrary<T>, maxKeys: number) =>
  fc.array(fc.tuple(id, value), {minLength: 1, maxLength: maxKeys}).map((entries) => {
    const object: {[key: string]: T} = {};
    for (const [key, inner] of entries) setOwn(object, key, inner);
    return object;
  });

/** Content with up to 3 tables of 4 rows of 4 cells, and up to 4 values. */
export const arbitraryContent: fc.Arbitrary<Content> = fc.tuple(
  fc.oneof(fc.constant({}), record(record(record(cell, 4), 4), 3)),
  fc.oneof(fc.constant({}), record(cell, 4)),
);
