import {describe, expect, it} from 'vitest';
import {createStore} from '../src';

describe('data model', () => {
  it('stores tables, rows, cells and values, and chains setters', () => {
    const store = createStore()
      .setTables({pets: {fido: {species: 'dog', age: 3}}})
      .setValues({open: true});
    expect(store.getTables()).toEqual({pets: {fido: {species: 'dog', age: 3}}});
    expect(store.getValues()).toEqual({open: true});
    expect(store.getContent()).toEqual([{pets: {fido: {species: 'dog', age: 3}}}, {open: true}]);
    expect(store.getJson()).toBe('[{"pets":{"fido":{"species":"dog","age":3}}},{"open":true}]');
  });

  it('coerces numeric ids to strings', () => {
    const store = createStore().setCell(1, 2, 3, 'x').setValue(4, 5);
    expect(store.getTables()).toEqual({'1': {'2': {'3': 'x'}}});
    expect(store.getCell('1', '2', '3')).toBe('x');
    expect(store.getTableIds()).toEqual(['1']);
    expect(store.getValue('4')).toBe(5);
  });

  it('removes a row with no cells and a table with no rows', () => {
    const store = createStore().setRow('t', 'r', {a: 1, b: 2});
    store.delCell('t', 'r', 'a');
    expect(store.hasRow('t', 'r')).toBe(true);
    store.delCell('t', 'r', 'b');
    expect(store.hasRow('t', 'r')).toBe(false);
    expect(store.hasTable('t')).toBe(false);
    expect(store.getTables()).toEqual({});
  });

  it('treats __proto__, constructor, prototype and hasOwnProperty as ordinary ids', () => {
    const ids = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty'];
    const store = createStore();
    for (const id of ids) store.setCell(id, id, id, id).setValue(id, id);
    for (const id of ids) {
      expect(store.getCell(id, id, id)).toBe(id);
      expect(store.hasTable(id)).toBe(true);
      expect(store.getValue(id)).toBe(id);
    }
    expect(store.getTableIds()).toEqual(ids);
    const copy = createStore().setJson(store.getJson());
    expect(copy.getJson()).toBe(store.getJson());
    expect(Object.keys(copy.getTables())).toEqual(ids);
    expect(Object.getPrototypeOf(copy.getTables())).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).constructor).toBe(Object);
    expect(Object.prototype.hasOwnProperty).toBeTypeOf('function');
    expect(Object.keys(Object.prototype)).toEqual([]);
  });

  it('returns copies that the caller may mutate', () => {
    const store = createStore().setRow('t', 'r', {a: 1}).setValue('v', 1);
    const tables = store.getTables();
    tables.t.r.a = 2;
    tables.t.x = {b: 1};
    store.getRow('t', 'r').a = 3;
    store.getTable('t').r = {z: 1};
    store.getValues().v = 9;
    store.getRowIds('t').push('y');
    const content = store.getContent();
    content[0].t.r.a = 4;
    expect(store.getContent()).toEqual([{t: {r: {a: 1}}}, {v: 1}]);
  });

  it('getters of missing things return empty results', () => {
    const store = createStore();
    expect(store.getTable('t')).toEqual({});
    expect(store.getRow('t', 'r')).toEqual({});
    expect(store.getCell('t', 'r', 'c')).toBeUndefined();
    expect(store.getRowIds('t')).toEqual([]);
    expect(store.getCellIds('t', 'r')).toEqual([]);
    expect(store.getRowCount('t')).toBe(0);
    expect(store.getValue('v')).toBeUndefined();
    expect(store.hasTables()).toBe(false);
    expect(store.hasValues()).toBe(false);
  });
});
