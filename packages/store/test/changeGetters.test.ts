// The change getters that listeners get as their last argument (getIdChanges,
// getCellChange, getValueChange), and the has-table-cell listener.
import {describe, expect, it} from 'vitest';
import {createStore, type GetCellChange, type GetIdChanges, type GetValueChange} from '../src';

describe('getIdChanges', () => {
  it('says which ids each id listener saw added (1) or removed (-1), net', () => {
    const store = createStore()
      .setTables({t: {gone: {a: 1, b: 1}, kept: {a: 1}}})
      .setValues({old: 1});
    const said: Record<string, unknown> = {};
    const keep = (name: string) => (getIdChanges: GetIdChanges | undefined) => {
      said[name] = getIdChanges!();
    };
    store.addTableIdsListener((_s, get) => keep('tableIds')(get));
    store.addRowIdsListener('t', (_s, _t, get) => keep('rowIds')(get));
    store.addCellIdsListener('t', 'kept', (_s, _t, _r, get) => keep('cellIds')(get));
    store.addTableCellIdsListener('t', (_s, _t, get) => keep('tableCellIds')(get));
    store.addValueIdsListener((_s, get) => keep('valueIds')(get));
    store.transaction(() => {
      store.delRow('t', 'gone').setRow('t', 'new', {c: 1}).setCell('t', 'kept', 'c', 2);
      store.setRow('t', 'brief', {a: 1}).delRow('t', 'brief'); // in and out: no change
      store.setCell('u', 'r', 'a', 1).setValue('fresh', 1).delValue('old');
    });
    expect(said).toEqual({
      tableIds: {u: 1},
      rowIds: {gone: -1, new: 1},
      cellIds: {c: 1},
      tableCellIds: {b: -1, c: 1},
      valueIds: {fresh: 1, old: -1},
    });
  });

  it('hands out a fresh object each call, and __proto__ is a plain key', () => {
    const store = createStore();
    const got: unknown[] = [];
    store.addRowIdsListener(null, (_s, _t, get) => {
      const first = get!();
      first.x = 1;
      got.push(first, get!());
    });
    store.setRow('t', '__proto__', {a: 1});
    expect(Object.keys(got[1] as object)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(got[1], '__proto__')?.value).toBe(1);
    expect(got[1]).not.toHaveProperty('x');
  });
});

describe('getCellChange and getValueChange', () => {
  it('cell, row, table and tables listeners can ask about any cell: [changed, old, new]', () => {
    const store = createStore().setTables({t: {r: {a: 1, b: 2}}});
    const asked: unknown[] = [];
    const ask = (get: GetCellChange | undefined) =>
      asked.push([get!('t', 'r', 'a'), get!('t', 'r', 'b'), get!('t', 's', 'a')]);
    store.addCellListener('t', 'r', 'a', (_s, _t, _r, _c, _n, _o, get) => ask(get));
    store.addRowListener('t', 'r', (_s, _t, _r, get) => ask(get));
    store.addTableListener('t', (_s, _t, get) => ask(get));
    store.addTablesListener((_s, get) => ask(get));
    store.transaction(() => {
      store.setCell('t', 'r', 'a', 5).setCell('t', 's', 'a', {o: 1});
      store.setCell('t', 'r', 'b', 3).setCell('t', 'r', 'b', 2); // back as it was
    });
    const answer = [
      [true, 1, 5],
      [false, 2, 2],
      [true, undefined, {o: 1}],
    ];
    expect(asked).toEqual([answer, answer, answer, answer]);
  });

  it('value and values listeners can ask about any value', () => {
    const store = createStore().setValues({a: 1, b: 2});
    const asked: unknown[] = [];
    const ask = (get: GetValueChange | undefined) => asked.push([get!('a'), get!('b'), get!('c')]);
    store.addValueListener('a', (_s, _v, _n, _o, get) => ask(get));
    store.addValuesListener((_s, get) => ask(get));
    store.transaction(() => store.delValue('a').setValue('c', [1]));
    const answer = [
      [true, 1, undefined],
      [false, 2, 2],
      [true, undefined, [1]],
    ];
    expect(asked).toEqual([answer, answer]);
  });

  it('callListener passes no getter (nothing is changing)', () => {
    const store = createStore().setCell('t', 'r', 'c', 1);
    const got: unknown[] = [];
    store.callListener(store.addRowIdsListener('t', (_s, _t, get) => got.push(get)));
    store.callListener(store.addCellListener('t', 'r', 'c', (...args) => got.push(args[6])));
    expect(got).toEqual([undefined, undefined]);
  });
});

describe('addHasTableCellListener', () => {
  it('fires when a cell id starts or stops being used by any row of a table', () => {
    const store = createStore().setTable('t', {r: {a: 1}, s: {a: 2}});
    const heard: unknown[] = [];
    store.addHasTableCellListener('t', null, (_s, t, c, has) => heard.push([t, c, has]));
    store.addHasTableCellListener(null, 'a', (_s, t, c, has) => heard.push(['any', t, c, has]));
    store.delCell('t', 'r', 'a'); // s still has a
    store.setCell('t', 'r', 'b', 1);
    store.delRow('t', 's');
    store.transaction(() => store.setCell('t', 'r', 'c', 1).delCell('t', 'r', 'c'));
    expect(heard).toEqual([
      ['t', 'b', true],
      ['t', 'a', false],
      ['any', 't', 'a', false],
    ]);
    const now: unknown[] = [];
    store.callListener(
      store.addHasTableCellListener('t', null, (...args) => now.push(args.slice(1))),
    );
    expect(now).toEqual([['t', 'b', true]]);
    expect(store.getListenerStats().hasTableCell).toBe(3);
  });

  it('forEachTableCell gives each cell id with the number of rows that have it', () => {
    const store = createStore().setTable('t', {r: {a: 1, b: 1}, s: {a: 2}});
    const seen: unknown[] = [];
    store.forEachTableCell('t', (c, count) => seen.push([c, count]));
    store.forEachTableCell('none', (c, count) => seen.push([c, count]));
    expect(seen).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
  });
});
