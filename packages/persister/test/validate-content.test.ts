// validateContent / validateChanges: strict, clear, prototype-safe.
import {createStore} from '@x/store';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {validateChanges, validateContent} from '../src';
import {arbitraryContent} from '../src/contract/arbitrary-content';

const CELL = 'must be a string, a finite number, a boolean, null, or a JSON object or array';

describe('validateContent', () => {
  it('returns a copy equal to any content a store holds (property)', () => {
    fc.assert(
      fc.property(arbitraryContent, (content) => {
        const held = createStore().setContent(content).getContent();
        const checked = validateContent(JSON.parse(JSON.stringify(held)));
        expect(checked).toEqual(held);
      }),
      {numRuns: 100},
    );
  });

  it('keeps __proto__, constructor and prototype as ordinary ids', () => {
    const content = validateContent(
      JSON.parse('[{"__proto__":{"constructor":{"prototype":1}}},{"__proto__":"v"}]'),
    );
    expect(Object.keys(content[0])).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(content[0])).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(content[0], '__proto__')?.value).toEqual({
      constructor: {prototype: 1},
    });
    expect(Object.getOwnPropertyDescriptor(content[1], '__proto__')?.value).toBe('v');
    expect(({} as {polluted?: unknown}).polluted).toBeUndefined();
  });

  it('accepts null-prototype objects and drops empty rows and tables', () => {
    const row = Object.assign(Object.create(null), {a: 1});
    expect(validateContent([{t: {r: row, empty: {}}, none: {}}, {}])).toEqual([
      {t: {r: {a: 1}}},
      {},
    ]);
  });

  it('accepts JSON objects and arrays as cells and values, and refuses cyclic ones', () => {
    const content: unknown = [{t: {r: {tags: ['a', {b: null}], meta: {n: 1}}}}, {list: []}];
    expect(validateContent(content)).toEqual(content);
    const cyclic: {self?: unknown} = {};
    cyclic.self = cyclic;
    expect(() => validateContent([{t: {r: {c: cyclic}}}, {}])).toThrow(
      `tables.t.r.c: cell ${CELL}, got an object`,
    );
  });

  const bad: [unknown, string][] = [
    ['x', 'content: must be an array [tables, values] of two objects, got the string "x"'],
    [undefined, 'content: must be an array [tables, values] of two objects, got undefined'],
    [[{}, {}, {}], 'content: must be an array [tables, values] of two objects, got an array of 3'],
    [[[], {}], 'tables: tables must be a plain object, got an array'],
    [[{}, null], 'values: values must be a plain object, got null'],
    [[{t: new Date(0)}, {}], 'tables.t: table must be a plain object, got a Date'],
    [[{t: {r: 'row'}}, {}], 'tables.t.r: row must be a plain object, got the string "row"'],
    [[{pets: {fido: {color: new Map()}}}, {}], `tables.pets.fido.color: cell ${CELL}, got a Map`],
    [
      [{pets: {fido: {color: {a: [Number.NaN]}}}}, {}],
      `tables.pets.fido.color: cell ${CELL}, got an object`,
    ],
    [
      [{t: {r: {c: Number.POSITIVE_INFINITY}}}, {}],
      `tables.t.r.c: cell ${CELL}, got the number Infinity`,
    ],
    [[{t: {r: {c: undefined}}}, {}], `tables.t.r.c: cell ${CELL}, got undefined`],
    [[{'a.b': {'x y': {c: () => 1}}}, {}], `tables["a.b"]["x y"].c: cell ${CELL}, got function`],
    [[{}, {v: [1, undefined]}], `values.v: value ${CELL}, got an array`],
    [[{}, {v: 10n}], `values.v: value ${CELL}, got bigint`],
  ];
  for (const [value, message] of bad) {
    it(`rejects with "${message}"`, () => {
      expect(() => validateContent(value)).toThrow(new TypeError(message));
    });
  }
});

describe('validateChanges', () => {
  it('accepts deletions as undefined and the 2- or 3-element forms', () => {
    expect(
      validateChanges([{t: undefined, u: {r: undefined, s: {c: undefined, d: 1}}}, {v: undefined}]),
    ).toEqual([{t: undefined, u: {r: undefined, s: {c: undefined, d: 1}}}, {v: undefined}, 1]);
  });

  it('rejects a bad marker, a bad row or a bad cell with its path', () => {
    expect(() => validateChanges([{}, {}, 2])).toThrow('changes[2]: must be 1, got the number 2');
    expect(() => validateChanges([{t: {r: 5}}, {}, 1])).toThrow(
      'tables.t.r: row must be a plain object, got the number 5',
    );
    expect(() => validateChanges([{}, {v: Number.NaN}, 1])).toThrow(
      `values.v: value ${CELL}, got the number NaN`,
    );
  });
});
