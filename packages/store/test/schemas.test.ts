import {describe, expect, it} from 'vitest';
import {createStore, type Store} from '../src';

const invalidCells = (store: Store) => {
  const calls: unknown[][] = [];
  store.addInvalidCellListener(null, null, null, (_s, t, r, c, invalid) =>
    calls.push([t, r, c, invalid]),
  );
  return calls;
};

describe('tables schema', () => {
  it('defaults fill missing and invalid cells; cells outside the schema are refused', () => {
    const store = createStore().setTablesSchema({
      pets: {
        species: {type: 'string'},
        sold: {type: 'boolean', default: false},
        price: {type: 'number'},
      },
    });
    const invalid = invalidCells(store);
    store.setRow('pets', 'fido', {species: 'dog', price: 'cheap', color: 'brown'} as never);
    expect(store.getRow('pets', 'fido')).toEqual({species: 'dog', sold: false});
    store.setCell('pets', 'fido', 'sold', 'yes' as never);
    expect(store.getCell('pets', 'fido', 'sold')).toBe(false);
    store.setCell('other', 'r', 'c', 1);
    expect(store.hasTable('other')).toBe(false);
    expect(invalid).toEqual([
      ['pets', 'fido', 'price', ['cheap']],
      ['pets', 'fido', 'color', ['brown']],
      ['pets', 'fido', 'sold', ['yes']],
      ['other', 'r', 'c', [1]],
    ]);
  });

  it('a cell with a default goes back to its default when deleted', () => {
    const store = createStore()
      .setTablesSchema({t: {a: {type: 'number', default: 0}, b: {type: 'number'}}})
      .setRow('t', 'r', {a: 5, b: 1});
    store.delCell('t', 'r', 'a');
    expect(store.getRow('t', 'r')).toEqual({a: 0, b: 1});
    store.delRow('t', 'r');
    expect(store.hasRow('t', 'r')).toBe(false);
  });

  it('applying a schema to existing data reports every cell it drops or replaces', () => {
    const store = createStore().setTables({
      t: {r: {a: 1, b: 'x', c: true}, s: {b: 2}},
      gone: {r: {z: 1}},
    });
    const invalid = invalidCells(store);
    store.setTablesSchema({
      t: {a: {type: 'number'}, b: {type: 'string', default: '-'}, d: {type: 'number', default: 7}},
    });
    expect(store.getTables()).toEqual({t: {r: {a: 1, b: 'x', d: 7}, s: {b: '-', d: 7}}});
    expect(invalid).toEqual([
      ['t', 'r', 'c', [true]],
      ['t', 's', 'b', [2]],
      ['gone', 'r', 'z', [1]],
    ]);
  });

  it('delTablesSchema lifts the restrictions without touching data', () => {
    const store = createStore()
      .setTablesSchema({t: {a: {type: 'number'}}})
      .setCell('t', 'r', 'a', 1);
    store.delTablesSchema().setCell('u', 'r', 'x', 'free');
    expect(store.getTables()).toEqual({t: {r: {a: 1}}, u: {r: {x: 'free'}}});
  });

  it('rejects a malformed schema with a TypeError and keeps the old one', () => {
    const store = createStore().setTablesSchema({t: {a: {type: 'number'}}});
    expect(() => store.setTablesSchema({t: {a: {type: 'date'}}} as never)).toThrow(TypeError);
    expect(() => store.setTablesSchema({t: {a: {type: 'number', default: 'x'}}} as never)).toThrow(
      TypeError,
    );
    expect(() => store.setTablesSchema(null as never)).toThrow(TypeError);
    store.setCell('t', 'r', 'a', 'nope' as never);
    expect(store.hasTables()).toBe(false);
  });
});

describe('values schema', () => {
  it('fills defaults, refuses others, and reports what it drops from existing values', () => {
    const store = createStore().setValues({open: 'yes', count: 3, extra: 1});
    const invalid: unknown[][] = [];
    store.addInvalidValueListener(null, (_s, v, values) => invalid.push([v, values]));
    store.setValuesSchema({
      open: {type: 'boolean', default: false},
      count: {type: 'number'},
      theme: {type: 'string', default: 'dark'},
    });
    expect(store.getValues()).toEqual({open: false, count: 3, theme: 'dark'});
    expect(invalid).toEqual([
      ['open', ['yes']],
      ['extra', [1]],
    ]);
    store.delValue('theme').setValue('count', 'x' as never);
    expect(store.getValues()).toEqual({open: false, count: 3, theme: 'dark'});
    store.delValues();
    expect(store.getValues()).toEqual({open: false, theme: 'dark'});
    store.delValuesSchema().setValue('free', 1);
    expect(store.getValue('free')).toBe(1);
  });
});
