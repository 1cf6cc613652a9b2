// The PATCH wire format: every Changes round-trips, and no cell (JSON objects,
// arrays, null and empty ones included) can be mistaken for a deletion.
import fc from 'fast-check';
import {expect, it} from 'vitest';
import {changesFromJson, changesToJson} from '../src/changesJson';

const id = fc.string({minLength: 1, maxLength: 4}).filter((text) => text !== '__proto__');
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    {depthSize: 'small'},
    fc.constant(null),
    fc.boolean(),
    fc.double({noNaN: true, noDefaultInfinity: true}).filter((n) => !Object.is(n, -0)),
    fc.string(),
    fc.array(tie('value'), {maxLength: 3}),
    fc.dictionary(id, tie('value'), {maxKeys: 3}),
  ),
})).value;
const cellChange = fc.option(json, {nil: undefined});
const changes = fc.tuple(
  fc.dictionary(
    id,
    fc.option(fc.dictionary(id, fc.option(fc.dictionary(id, cellChange), {nil: undefined})), {
      nil: undefined,
    }),
  ),
  fc.dictionary(id, cellChange),
  fc.constant(1 as const),
);

/** JSON with deletions kept visible (toEqual would take a deleted key for a missing one). */
const shown = (value: unknown): string =>
  JSON.stringify(value, (_key, item) => (item === undefined ? '\u0000deleted' : item));

it('round-trips any changes, JSON cells, null and deletions included (property)', () => {
  fc.assert(
    fc.property(changes, (original) => {
      const text = changesToJson(original as never);
      expect(shown(changesFromJson(JSON.parse(text)))).toBe(shown(original));
    }),
    {numRuns: 300},
  );
});

it('tells an empty object, an empty array and null cells from deletions', () => {
  const text = changesToJson([
    {
      t: {
        r: {object: {} as never, array: [] as never, none: null, gone: undefined},
        old: undefined,
      },
    },
    {v: {} as never, w: undefined},
    1,
  ]);
  expect(text).toBe(
    '[{"t":{"r":{"object":[{}],"array":[[]],"none":[null],"gone":[]},"old":null}},{"v":[{}],"w":[]},1]',
  );
  expect(changesFromJson(JSON.parse(text))).toStrictEqual([
    {t: {r: {object: {}, array: [], none: null, gone: undefined}, old: undefined}},
    {v: {}, w: undefined},
    1,
  ]);
});
