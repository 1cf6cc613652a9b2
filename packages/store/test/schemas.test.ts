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

describe("TinyBase 10's schema vocabulary", () => {
  it('allowNull lets null in; default null fills missing and invalid cells', () => {
    const store = createStore().setTablesSchema({
      t: {
        note: {type: 'string', allowNull: true, default: null},
        n: {type: 'number', allowNull: true},
        s: {type: 'string'},
      },
    });
    const invalid = invalidCells(store);
    store.setRow('t', 'r', {n: null, s: 'x'});
    expect(store.getRow('t', 'r')).toEqual({note: null, n: null, s: 'x'});
    store.setCell('t', 'r', 'note', 5 as never).setCell('t', 'r', 's', null as never);
    expect(store.getRow('t', 'r')).toEqual({note: null, n: null, s: 'x'});
    store.setCell('t', 'r', 'note', 'hi').delCell('t', 'r', 'note');
    expect(store.getCell('t', 'r', 'note')).toBeNull();
    expect(invalid).toEqual([
      ['t', 'r', 'note', [5]],
      ['t', 'r', 's', [null]],
    ]);
  });

  it('a list of types is a union; an enum allows exact values only', () => {
    const store = createStore().setTablesSchema({
      t: {
        id: {type: ['string', 'number']},
        rating: {enum: ['good', 5, true], allowNull: true, default: 'good'},
      },
    });
    store.setRow('t', 'a', {id: 'x'}).setRow('t', 'b', {id: 1, rating: 5});
    store.setRow('t', 'c', {id: true as never, rating: 'bad' as never});
    store.setCell('t', 'b', 'rating', null);
    expect(store.getTables()).toEqual({
      t: {a: {id: 'x', rating: 'good'}, b: {id: 1, rating: null}, c: {rating: 'good'}},
    });
  });

  it('required is kept (for typing) and changes nothing at run time', () => {
    const store = createStore().setTablesSchema({t: {name: {type: 'string', required: true}}});
    store.setRow('t', 'r', {});
    store.setRow('t', 's', {name: 'x'});
    expect(store.getTables()).toEqual({t: {s: {name: 'x'}}});
    expect(store.getTablesSchemaJson()).toBe('{"t":{"name":{"type":"string","required":true}}}');
  });

  it('setSchema sets both at once, or neither when one is malformed', () => {
    const store = createStore().setValues({v: 'x'});
    expect(() =>
      store.setSchema({t: {a: {type: 'number'}}}, {v: {type: 'bogus'}} as never),
    ).toThrow(TypeError);
    expect([store.hasTablesSchema(), store.hasValuesSchema()]).toEqual([false, false]);
    store.setSchema({t: {a: {type: 'number', default: 1}}}, {v: {enum: ['x', 'y']}});
    expect([store.hasTablesSchema(), store.hasValuesSchema()]).toEqual([true, true]);
    expect(store.getSchemaJson()).toBe(
      '[{"t":{"a":{"type":"number","default":1}}},{"v":{"enum":["x","y"]}}]',
    );
    store.setValue('v', 'z' as never);
    expect(store.getValues()).toEqual({v: 'x'});
    store.delSchema();
    expect(store.getSchemaJson()).toBe('[{},{}]');
    expect(store.setValue('v', 'z').getValue('v')).toBe('z');
  });

  it('the schema JSON keeps only the keys a schema knows, copied', () => {
    const schema = {t: {o: {type: 'object', default: {k: [1]}, note: 'mine'}}};
    const store = createStore().setTablesSchema(schema as never);
    schema.t.o.default.k.push(2);
    expect(store.getTablesSchemaJson()).toBe('{"t":{"o":{"type":"object","default":{"k":[1]}}}}');
    expect(store.setRow('t', 'r', {}).getRow('t', 'r')).toEqual({});
    store.setCell('t', 'r', 'o', {a: 1}).delCell('t', 'r', 'o');
    expect(store.getCell('t', 'r', 'o')).toEqual({k: [1]});
  });

  it('refuses malformed vocabulary: empty lists, mixed type and enum, bad enum members', () => {
    for (const bad of [
      {type: []},
      {type: ['string', 'date']},
      {type: 'string', enum: ['a']},
      {enum: []},
      {enum: [{}]},
      {enum: [Number.NaN]},
      {},
      {default: 1},
      {enum: 'x', default: 'x'},
      {type: 'string', allowNull: 'yes'},
      {type: 'string', default: null},
      {enum: ['a'], default: 'b'},
      {type: 'array', default: {}},
    ]) {
      expect(() => createStore().setValuesSchema({v: bad} as never), JSON.stringify(bad)).toThrow(
        /valuesSchema\.v is not a valid CellSchema/,
      );
    }
  });
});
