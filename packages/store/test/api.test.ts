import {describe, expect, it} from 'vitest';
import {createStore} from '../src';

describe('setters, has, iterators, JSON', () => {
  it('setPartialRow and setPartialValues merge; setTable and setValues replace', () => {
    const store = createStore().setRow('t', 'r', {a: 1, b: 2}).setValues({v: 1, w: 2});
    store.setPartialRow('t', 'r', {b: 3, c: 4}).setPartialValues({w: 3, x: 4});
    expect(store.getContent()).toEqual([{t: {r: {a: 1, b: 3, c: 4}}}, {v: 1, w: 3, x: 4}]);
    store.setTable('t', {s: {a: 1}}).setValues({y: 1});
    expect(store.getContent()).toEqual([{t: {s: {a: 1}}}, {y: 1}]);
  });

  it('an overwritten row keeps its place in the row ids', () => {
    const store = createStore().setTable('t', {a: {x: 1}, b: {x: 1}, c: {x: 1}});
    store.setRow('t', 'a', {y: 2});
    expect(store.getRowIds('t')).toEqual(['a', 'b', 'c']);
  });

  it('setCell and setValue accept a mapper from the old value', () => {
    const store = createStore();
    store.setCell('t', 'r', 'n', (old) => (old === undefined ? 1 : (old as number) + 1));
    store.setCell('t', 'r', 'n', (old) => (old as number) + 1);
    store.setValue('v', (old) => `${old}!`);
    expect(store.getCell('t', 'r', 'n')).toBe(2);
    expect(store.getValue('v')).toBe('undefined!');
  });

  it('addRow returns a new id that does not collide, or undefined for an invalid row', () => {
    const store = createStore().setRow('t', '0', {x: 'taken'});
    expect(store.addRow('t', {x: 1})).toBe('1');
    expect(store.addRow('t', {x: 2})).toBe('2');
    expect(store.addRow('u', {x: 3})).toBe('0');
    expect(store.addRow('t', {x: Number.NaN})).toBeUndefined();
    expect(store.addRow('t', {})).toBeUndefined();
    expect(store.getTable('t')).toEqual({'0': {x: 'taken'}, '1': {x: 1}, '2': {x: 2}});
    // A refused row is reported under the id it would have had, which stays free.
    const heard: unknown[] = [];
    store.addInvalidCellListener(null, null, null, (_s, ...args) => heard.push(args));
    expect(store.addRow('t', {x: new Date(0)} as never)).toBeUndefined();
    expect(store.addRow('t', 'no row' as never)).toBeUndefined();
    expect(store.addRow('t', {x: 3})).toBe('3');
    expect(heard).toEqual([
      ['t', '3', 'x', [new Date(0)]],
      ['t', '3', '', ['no row']],
    ]);
  });

  it('has* and table cell ids follow the data', () => {
    const store = createStore().setTable('t', {a: {x: 1}, b: {y: 1}});
    expect(store.hasTableCell('t', 'x')).toBe(true);
    expect(store.getTableCellIds('t')).toEqual(['x', 'y']);
    store.delRow('t', 'a');
    expect(store.hasTableCell('t', 'x')).toBe(false);
    expect(store.getTableCellIds('t')).toEqual(['y']);
    expect(store.hasCell('t', 'b', 'y')).toBe(true);
    expect(store.getCellIds('t', 'b')).toEqual(['y']);
    expect(store.getRowCount('t')).toBe(1);
  });

  it('iterators visit everything in insertion order', () => {
    const store = createStore()
      .setTables({t: {a: {x: 1, y: 2}}, u: {b: {z: 3}}})
      .setValues({v: 1});
    const seen: unknown[] = [];
    store.forEachTable((t, forEachRow) =>
      forEachRow((r) =>
        store.forEachRow(
          t,
          (r2, forEachCell) => r2 === r && forEachCell((c, cell) => seen.push([t, r, c, cell])),
        ),
      ),
    );
    store.forEachValue((v, value) => seen.push([v, value]));
    expect(seen).toEqual([
      ['t', 'a', 'x', 1],
      ['t', 'a', 'y', 2],
      ['u', 'b', 'z', 3],
      ['v', 1],
    ]);
  });

  it('JSON round-trips and setJson is a full replace', () => {
    const store = createStore()
      .setTables({t: {r: {a: 'x', b: null, c: false}}})
      .setValues({v: 1.5});
    expect(store.getTablesJson()).toBe('{"t":{"r":{"a":"x","b":null,"c":false}}}');
    expect(store.getValuesJson()).toBe('{"v":1.5}');
    const copy = createStore()
      .setTables({old: {r: {a: 1}}})
      .setJson(store.getJson());
    expect(copy.getContent()).toEqual(store.getContent());
  });

  it('applyChanges applies a Changes object as one transaction', () => {
    const source = createStore()
      .setTables({t: {a: {x: 1}, b: {x: 2}}, u: {r: {y: 1}}})
      .setValues({v: 1});
    const target = createStore().setJson(source.getJson());
    let changes: ReturnType<typeof source.getTransactionChanges> | undefined;
    source.addDidFinishTransactionListener((s) => (changes = s.getTransactionChanges()));
    source.transaction(() =>
      source
        .setCell('t', 'a', 'x', 5)
        .delRow('t', 'b')
        .delTable('u')
        .setCell('n', 'r', 'z', 1)
        .delValue('v'),
    );
    let transactions = 0;
    target.addDidFinishTransactionListener(() => transactions++);
    target.applyChanges(changes!);
    expect(target.getContent()).toEqual(source.getContent());
    expect(transactions).toBe(1);
  });

  it('setTablesJson and setValuesJson replace one half; bad JSON changes nothing', () => {
    const store = createStore().setContent([{t: {r: {a: 1}}}, {v: 1}]);
    store.setTablesJson('{"u":{"r":{"b":[1]}}}');
    expect(store.getContent()).toEqual([{u: {r: {b: [1]}}}, {v: 1}]);
    store.setValuesJson('{"w":{"k":true}}');
    expect(store.getContent()).toEqual([{u: {r: {b: [1]}}}, {w: {k: true}}]);
    const heard: unknown[] = [];
    store.addInvalidCellListener(null, null, null, (_s, ...args) => heard.push(args));
    store.addInvalidValueListener(null, (_s, ...args) => heard.push(args));
    store.setTablesJson('{oops').setValuesJson('[1').setValuesJson('3');
    expect(store.getContent()).toEqual([{u: {r: {b: [1]}}}, {w: {k: true}}]);
    expect(heard).toEqual([
      ['', '', '', ['{oops']],
      ['', ['[1']],
      ['', [3]],
    ]);
  });

  it('setJson also reads the older tables-only JSON (the values stay)', () => {
    const store = createStore().setValues({v: 1}).setJson('{"t":{"r":{"a":1}}}');
    expect(store.getContent()).toEqual([{t: {r: {a: 1}}}, {v: 1}]);
  });

  it('setContent takes a function returning the content', () => {
    const store = createStore().setContent(() => [{t: {r: {a: 1}}}, {v: 2}]);
    expect(store.getContent()).toEqual([{t: {r: {a: 1}}}, {v: 2}]);
  });

  it('getSortedRowIds takes a sorter, or all its arguments as one object', () => {
    const store = createStore().setTable('pets', {
      a: {name: 'b'},
      b: {name: 'B'},
      c: {name: 'a'},
      d: {other: 1},
    });
    const byLocale = (x: unknown, y: unknown) => String(x ?? '').localeCompare(String(y ?? ''));
    expect(store.getSortedRowIds('pets', 'name', false, 0, undefined, byLocale)).toEqual([
      'd',
      'c',
      'a',
      'b',
    ]);
    expect(
      store.getSortedRowIds({tableId: 'pets', cellId: 'name', descending: true, limit: 2}),
    ).toEqual(['a', 'c']);
    expect(store.getSortedRowIds({tableId: 'pets', offset: 3})).toEqual(['d']);
    const heard: unknown[] = [];
    store.addSortedRowIdsListener(
      {tableId: 'pets', cellId: 'name', sorter: byLocale, limit: 1},
      (_s, ...args) => heard.push(args),
    );
    store.setCell('pets', 'e', 'name', 'z'); // not first: nothing to hear
    store.delRow('pets', 'd');
    expect(heard).toEqual([['pets', 'name', false, 0, 1, ['c']]]);
  });

  it('isMergeable is false', () => {
    expect(createStore().isMergeable()).toBe(false);
  });

  it('forEachTable hands each row its forEachCell too, as in TinyBase', () => {
    const store = createStore().setTables({t: {r: {a: 1, b: 'x'}}, u: {s: {c: [1]}}});
    const seen: unknown[] = [];
    store.forEachTable((t, forEachRow) =>
      forEachRow((r, forEachCell) => forEachCell((c, cell) => seen.push([t, r, c, cell]))),
    );
    expect(seen).toEqual([
      ['t', 'r', 'a', 1],
      ['t', 'r', 'b', 'x'],
      ['u', 's', 'c', [1]],
    ]);
  });
});
