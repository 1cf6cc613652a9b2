import {describe, expect, it} from 'vitest';
import {createStore} from '../src';

const cyclic: Record<string, unknown> = {a: 1};
cyclic.self = cyclic;
const cyclicArray: unknown[] = [1];
cyclicArray.push([cyclicArray]);
class Pet {
  name = 'fido';
}
// Everything that is not plain JSON, at the top or nested anywhere in an object or array.
const INVALID: unknown[] = [
  undefined,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Symbol('s'),
  new Date(0),
  new Map([['a', 1]]),
  new Set([1]),
  new Pet(),
  /re/,
  10n,
  cyclic,
  cyclicArray,
  {a: undefined},
  {a: {b: Number.NaN}},
  {a: [1, new Date(0)]},
  {f: () => 1},
  [undefined],
  // biome-ignore lint/suspicious/noSparseArray: a hole is not JSON
  [1, , 3],
  Object.assign([1], {extra: 2}),
  {[Symbol('k')]: 1, a: 1},
  Object.create({inherited: 1}),
  new (class extends Array {})(),
];

describe('invalid cells and values', () => {
  it('a function given to setCell is a mapper; a function inside a row is invalid', () => {
    const store = createStore().setCell('t', 'r', 'c', 1);
    store.setCell('t', 'r', 'c', (old) => (old as number) + 1);
    expect(store.getCell('t', 'r', 'c')).toBe(2);
    let heard = 0;
    store.addInvalidCellListener('t', 'r', 'f', () => heard++);
    store.setPartialRow('t', 'r', {f: (() => 1) as never});
    store.setCell('t', 'r', 'f', (() => () => 1) as never);
    expect(store.getRow('t', 'r')).toEqual({c: 2});
    expect(heard).toBe(2);
  });

  it('ignores an invalid cell and reports it, leaving the old cell', () => {
    for (const bad of INVALID) {
      const store = createStore().setCell('t', 'r', 'c', 1);
      const heard: unknown[][] = [];
      store.addInvalidCellListener(null, null, null, (_s, t, r, c, invalid) =>
        heard.push([t, r, c, invalid]),
      );
      store.setCell('t', 'r', 'c', bad as never);
      expect(store.getTables()).toEqual({t: {r: {c: 1}}});
      expect(heard).toEqual([['t', 'r', 'c', [bad]]]);
    }
  });

  it('ignores an invalid value and reports it', () => {
    for (const bad of INVALID) {
      const store = createStore().setValue('v', 'ok');
      const heard: unknown[][] = [];
      store.addInvalidValueListener('v', (_s, v, invalid) => heard.push([v, invalid]));
      store.setValue('v', bad as never);
      expect(store.getValues()).toEqual({v: 'ok'});
      expect(heard).toEqual([['v', [bad]]]);
    }
  });

  it('applies the valid cells of a row and reports the invalid ones', () => {
    const store = createStore();
    const heard: unknown[][] = [];
    store.addInvalidCellListener('t', null, null, (_s, t, r, c, invalid) =>
      heard.push([t, r, c, invalid]),
    );
    store.setRow('t', 'r', {a: 1, b: Number.NaN, c: 'x'} as never);
    expect(store.getRow('t', 'r')).toEqual({a: 1, c: 'x'});
    expect(heard).toEqual([['t', 'r', 'b', [Number.NaN]]]);
  });

  it('skips a row whose cells are all invalid, keeping the old row', () => {
    const store = createStore().setRow('t', 'r', {a: 1});
    let calls = 0;
    store.addInvalidCellListener(null, null, null, () => calls++);
    store.setRow('t', 'r', {a: undefined, b: [new Date(0)]} as never);
    expect(store.getRow('t', 'r')).toEqual({a: 1});
    expect(calls).toBe(2);
  });

  it('a replace leaves a mentioned-but-invalid cell as it was', () => {
    const store = createStore().setRow('t', 'r', {a: 1, b: 2, c: 3});
    store.setRow('t', 'r', {a: 5, b: Number.NaN} as never);
    expect(store.getRow('t', 'r')).toEqual({a: 5, b: 2});
  });

  it('skips non-object rows, tables and contents', () => {
    const store = createStore()
      .setTables({t: {r: {a: 1}}})
      .setValues({v: 1});
    const heard: unknown[][] = [];
    store.addInvalidCellListener(null, null, null, (_s, t, r, c, invalid) =>
      heard.push([t, r, c, invalid]),
    );
    store.setRow('t', 'r', 'nope' as never);
    store.setTable('t', [1] as never);
    store.setTables(null as never);
    store.setContent([{}] as never);
    expect(store.getContent()).toEqual([{t: {r: {a: 1}}}, {v: 1}]);
    expect(heard).toEqual([
      ['t', 'r', '', ['nope']],
      ['t', '', '', [[1]]],
      ['', '', '', [null]],
      ['', '', '', [[{}]]],
    ]);
  });

  it('setJson with bad JSON leaves the store as it was', () => {
    const store = createStore().setTables({t: {r: {a: 1}}});
    const before = store.getJson();
    let heard = 0;
    store.addInvalidCellListener(null, null, null, () => heard++);
    store.setJson('{not json');
    store.setJson('"a string"');
    store.setJson('[1, 2]');
    expect(store.getJson()).toBe(before);
    expect(heard).toBe(3);
  });

  it('an empty row or table is a deletion, not an invalid write', () => {
    const store = createStore().setTables({t: {r: {a: 1}, s: {b: 2}}, u: {x: {c: 3}}});
    store.setRow('t', 'r', {});
    expect(store.getTables()).toEqual({t: {s: {b: 2}}, u: {x: {c: 3}}});
    store.setTable('u', {});
    expect(store.getTables()).toEqual({t: {s: {b: 2}}});
    store.setTables({});
    expect(store.getTables()).toEqual({});
  });

  it('invalid parts of a whole tables write are reported with every id', () => {
    const store = createStore();
    const heard: unknown[][] = [];
    store.addInvalidCellListener(null, null, null, (_s, t, r, c, invalid) =>
      heard.push([t, r, c, invalid]),
    );
    store.setTables({t: {r: {a: 1, b: new Map()}, s: 7}} as never);
    expect(store.getTables()).toEqual({t: {r: {a: 1}}});
    expect(heard).toEqual([
      ['t', 'r', 'b', [new Map()]],
      ['t', 's', '', [7]],
    ]);
  });

  it('collects several refusals of one cell in one transaction into one call', () => {
    const store = createStore();
    const heard: unknown[][] = [];
    store.addInvalidCellListener('t', 'r', 'c', (_s, _t, _r, _c, invalid) => heard.push(invalid));
    store.transaction(() => {
      store.setCell('t', 'r', 'c', Number.NaN);
      store.setCell('t', 'r', 'c', undefined as never);
    });
    expect(heard).toEqual([[Number.NaN, undefined]]);
  });
});
