import {describe, expect, it} from 'vitest';
import {createStore, type RowChangeType, type Store} from '../src';

const watch = (store: Store, tableId: string | null = null) => {
  const calls: [string, RowChangeType, string[]][] = [];
  store.addRowChangesListener(tableId, (_s, t, type, rowIds) => calls.push([t, type, rowIds]));
  return calls;
};

describe('addRowChangesListener', () => {
  it('reports create, update and delete with every affected row, one call per table and type', () => {
    const store = createStore().setTables({t: {a: {x: 1}, b: {x: 1}, c: {x: 1}}});
    const calls = watch(store);
    store.transaction(() => {
      store.setRow('t', 'n1', {x: 1}).setRow('t', 'n2', {x: 2});
      store.setCell('t', 'a', 'x', 2).setRow('t', 'b', {y: 1});
      store.delRow('t', 'c');
      store.setRow('u', 'r', {x: 1});
    });
    expect(calls).toEqual([
      ['t', 'create', ['n1', 'n2']],
      ['t', 'update', ['a', 'b']],
      ['t', 'delete', ['c']],
      ['u', 'create', ['r']],
    ]);
  });

  it('an overwrite of an existing row is an update, even via delete and re-create', () => {
    const store = createStore().setRow('t', 'r', {x: 1});
    const calls = watch(store, 't');
    store.setRow('t', 'r', {y: 2});
    store.transaction(() => store.delRow('t', 'r').setRow('t', 'r', {z: 3}));
    expect(calls).toEqual([
      ['t', 'update', ['r']],
      ['t', 'update', ['r']],
    ]);
  });

  it('reports clear with every row when the whole table is gone', () => {
    const store = createStore().setTables({t: {a: {x: 1}, b: {x: 1}}, u: {a: {x: 1}}});
    const calls = watch(store);
    store.delTable('t');
    store.delRow('u', 'a'); // the last row: the table is gone too
    expect(calls).toEqual([
      ['t', 'clear', ['a', 'b']],
      ['u', 'clear', ['a']],
    ]);
  });

  it('reports nothing for a row created and deleted in one transaction, or set to the same', () => {
    const store = createStore().setRow('t', 'r', {x: 1});
    const calls = watch(store);
    store.transaction(() => store.setRow('t', 'tmp', {x: 1}).delRow('t', 'tmp'));
    store.setRow('t', 'r', {x: 1});
    expect(calls).toEqual([]);
  });

  it('filters by table id', () => {
    const store = createStore();
    const calls = watch(store, 'u');
    store.setRow('t', 'r', {x: 1}).setRow('u', 'r', {x: 1});
    expect(calls).toEqual([['u', 'create', ['r']]]);
  });
});
