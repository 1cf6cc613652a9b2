import {describe, expect, it} from 'vitest';
import {type Cell, createStore} from '../src';

describe('object and array cells and values', () => {
  it('are stored, read back and written to JSON as plain data', () => {
    const store = createStore()
      .setRow('pets', 'fido', {tags: ['good', 'old'], vet: {name: 'Ann', visits: [1, 2]}})
      .setValue('config', {theme: 'dark', sizes: [1, null, true]});
    expect(store.getRow('pets', 'fido')).toEqual({
      tags: ['good', 'old'],
      vet: {name: 'Ann', visits: [1, 2]},
    });
    expect(store.getValue('config')).toEqual({theme: 'dark', sizes: [1, null, true]});
    expect(store.getJson()).toBe(
      '[{"pets":{"fido":{"tags":["good","old"],"vet":{"name":"Ann","visits":[1,2]}}}},{"config":{"theme":"dark","sizes":[1,null,true]}}]',
    );
    const copy = createStore().setJson(store.getJson());
    expect(copy.getContent()).toEqual(store.getContent());
  });

  it('every read is a fresh copy, and the input is copied too', () => {
    const input = {list: [1, 2]};
    const store = createStore().setCell('t', 'r', 'c', input).setValue('v', [input]);
    input.list.push(3);
    const read = store.getCell('t', 'r', 'c') as {list: number[]};
    read.list.push(4);
    (store.getTables().t.r.c as {list: number[]}).list.push(5);
    (store.getValue('v') as Cell[]).push('x');
    store.forEachCell('t', 'r', (_c, cell) => (cell as {list: number[]}).list.push(6));
    store.setCell('t', 'r', 'c', (old) => {
      (old as {list: number[]}).list.push(7); // the mapper gets a copy too
      return old as Cell;
    });
    expect(store.getCell('t', 'r', 'c')).toEqual({list: [1, 2, 7]});
    expect(store.getValue('v')).toEqual([{list: [1, 2]}]);
    expect(store.getCell('t', 'r', 'c')).not.toBe(store.getCell('t', 'r', 'c'));
  });

  it('are compared by value: listeners fire only on a real change', () => {
    const store = createStore()
      .setCell('t', 'r', 'c', {a: [1]})
      .setValue('v', [1, {b: 2}]);
    const heard: unknown[] = [];
    store.addCellListener(null, null, null, (_s, _t, _r, _c, now, old) => heard.push([now, old]));
    store.addValueListener(null, (_s, _v, now, old) => heard.push([now, old]));
    store.addTablesListener(() => heard.push('tables'));
    store.setCell('t', 'r', 'c', {a: [1]}).setValue('v', [1, {b: 2}]);
    store.setRow('t', 'r', {c: {a: [1]}}).setValues({v: [1, {b: 2}]});
    store.transaction(() =>
      store.setCell('t', 'r', 'c', {a: [2]}).setCell('t', 'r', 'c', {a: [1]}),
    );
    expect(heard).toEqual([]);
    store.setCell('t', 'r', 'c', {a: [1, 2]});
    expect(heard).toEqual([[{a: [1, 2]}, {a: [1]}], 'tables']);
    // Key order is part of the value (the JSON text), as in TinyBase.
    heard.length = 0;
    store.setValue('v', [1, {b: 2}]).setValue('v', [{b: 2}, 1]);
    expect(heard).toEqual([
      [
        [{b: 2}, 1],
        [1, {b: 2}],
      ],
    ]);
  });

  it('net changes and applyChanges carry them; a persister round trip keeps them', () => {
    const store = createStore();
    let changes: unknown;
    store.addDidFinishTransactionListener((s) => {
      changes = s.getTransactionChanges();
    });
    store.setRow('t', 'r', {o: {k: ['v']}, a: []});
    expect(changes).toEqual([{t: {r: {o: {k: ['v']}, a: []}}}, {}, 1]);
    const other = createStore().applyChanges(changes as never);
    expect(other.getTables()).toEqual(store.getTables());
    store.setCell('t', 'r', 'o', {k: ['v']});
    expect(changes).toEqual([{}, {}, 1]);
  });

  it('__proto__ keys inside objects are plain data and touch no prototype', () => {
    const hostile = JSON.parse(
      '{"__proto__": {"polluted": true}, "constructor": {"prototype": 1}}',
    );
    const store = createStore().setCell('t', 'r', 'c', hostile).setValue('__proto__', hostile);
    const read = store.getCell('t', 'r', 'c') as Record<string, unknown>;
    expect(Object.keys(read)).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(read)).toBe(Object.prototype);
    expect(read.polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.parse(store.getJson())).toEqual(
      JSON.parse(
        '[{"t":{"r":{"c":{"__proto__":{"polluted":true},"constructor":{"prototype":1}}}}},{"__proto__":{"__proto__":{"polluted":true},"constructor":{"prototype":1}}}]',
      ),
    );
    expect(Object.keys(Object.prototype)).toEqual([]);
  });

  it('a string that looks like an encoded object stays a string', () => {
    const tricky = ['\uFFFD{"a":1}', '\uFFFD', '\uFFFD"x"', '\uFFFD[1]'];
    const store = createStore();
    tricky.forEach((text, i) => {
      store.setCell('t', 'r', `c${i}`, text).setValue(`v${i}`, text);
    });
    tricky.forEach((text, i) => {
      expect(store.getCell('t', 'r', `c${i}`)).toBe(text);
      expect(store.getValue(`v${i}`)).toBe(text);
    });
    expect(createStore().setJson(store.getJson()).getContent()).toEqual(store.getContent());
    // And an object is not equal to a string with the same text.
    const heard: unknown[] = [];
    store.addCellListener('t', 'r', 'c0', (_s, _t, _r, _c, now) => heard.push(now));
    store.setCell('t', 'r', 'c0', {a: 1});
    expect(heard).toEqual([{a: 1}]);
  });

  it('schemas type them as object and array; getSortedRowIds puts them after strings', () => {
    const store = createStore()
      .setTablesSchema({t: {o: {type: 'object'}, a: {type: 'array', default: []}}})
      .setRow('t', 'r', {o: {x: 1}});
    expect(store.getRow('t', 'r')).toEqual({o: {x: 1}, a: []});
    store.setCell('t', 'r', 'o', [1] as never).setCell('t', 'r', 'a', {x: 1} as never);
    expect(store.getRow('t', 'r')).toEqual({o: {x: 1}, a: []});
    const sorted = createStore().setTable('s', {
      obj: {c: {a: 1}},
      str: {c: 'zzz'},
      num: {c: 5},
      arr: {c: [1]},
    });
    expect(sorted.getSortedRowIds('s', 'c')).toEqual(['num', 'str', 'arr', 'obj']);
  });
});
