import {describe, expect, it} from 'vitest';
import {createStore, type Store} from '../src';

/**
 * Records every call of one listener as its arguments without the store and without
 * the change getters (getIdChanges, getCellChange, getValueChange: tested on their own).
 */
const recorder = () => {
  const calls: unknown[][] = [];
  const listener = (store: Store, ...args: unknown[]) => {
    expect(store).toBeTypeOf('object');
    calls.push(args.filter((arg) => typeof arg !== 'function'));
  };
  return {calls, listener};
};

describe('data listeners', () => {
  it('cell listeners get ids, new and old cell, with wildcards at every level', () => {
    const store = createStore().setCell('t', 'r', 'c', 1);
    const exact = recorder();
    const anyCell = recorder();
    const anyRow = recorder();
    const anyTable = recorder();
    const other = recorder();
    store.addCellListener('t', 'r', 'c', exact.listener);
    store.addCellListener('t', 'r', null, anyCell.listener);
    store.addCellListener('t', null, 'c', anyRow.listener);
    store.addCellListener(null, null, null, anyTable.listener);
    store.addCellListener('t', 'r', 'd', other.listener);
    store.setCell('t', 'r', 'c', 2);
    store.delCell('t', 'r', 'c');
    const expected = [
      ['t', 'r', 'c', 2, 1],
      ['t', 'r', 'c', undefined, 2],
    ];
    expect(exact.calls).toEqual(expected);
    expect(anyCell.calls).toEqual(expected);
    expect(anyRow.calls).toEqual(expected);
    expect(anyTable.calls).toEqual(expected);
    expect(other.calls).toEqual([]);
  });

  it('row, table and tables listeners fire once per transaction when something below changed', () => {
    const store = createStore();
    const row = recorder();
    const anyRow = recorder();
    const table = recorder();
    const tables = recorder();
    store.addRowListener('t', 'r', row.listener);
    store.addRowListener(null, null, anyRow.listener);
    store.addTableListener('t', table.listener);
    store.addTablesListener(tables.listener);
    store.transaction(() =>
      store.setRow('t', 'r', {a: 1, b: 2}).setRow('t', 's', {a: 1}).setRow('u', 'r', {a: 1}),
    );
    expect(row.calls).toEqual([['t', 'r']]);
    expect(anyRow.calls).toEqual([
      ['t', 'r'],
      ['t', 's'],
      ['u', 'r'],
    ]);
    expect(table.calls).toEqual([['t']]);
    expect(tables.calls).toEqual([[]]);
    store.setCell('u', 'r', 'a', 2);
    expect(row.calls.length).toBe(1);
    expect(table.calls.length).toBe(1);
    expect(tables.calls.length).toBe(2);
  });

  it('id listeners fire only when the set of ids changes', () => {
    const store = createStore().setTables({t: {r: {a: 1}}});
    const tableIds = recorder();
    const rowIds = recorder();
    const cellIds = recorder();
    const tableCellIds = recorder();
    store.addTableIdsListener(tableIds.listener);
    store.addRowIdsListener('t', rowIds.listener);
    store.addCellIdsListener('t', null, cellIds.listener);
    store.addTableCellIdsListener(null, tableCellIds.listener);
    store.setCell('t', 'r', 'a', 2); // no id changes
    expect([tableIds.calls, rowIds.calls, cellIds.calls, tableCellIds.calls]).toEqual([
      [],
      [],
      [],
      [],
    ]);
    store.setCell('t', 'r', 'b', 1); // new cell id in row and table
    expect(cellIds.calls).toEqual([['t', 'r']]);
    expect(tableCellIds.calls).toEqual([['t']]);
    store.setCell('t', 's', 'b', 1); // new row, cell id b already in table
    expect(rowIds.calls).toEqual([['t']]);
    expect(cellIds.calls).toEqual([
      ['t', 'r'],
      ['t', 's'],
    ]);
    expect(tableCellIds.calls).toEqual([['t']]);
    store.setCell('u', 'r', 'a', 1);
    expect(tableIds.calls).toEqual([[]]);
    store.transaction(() => store.delRow('t', 's').setRow('t', 's', {b: 1})); // deleted and re-created
    expect(rowIds.calls.length).toBe(1);
    expect(tableIds.calls.length).toBe(1);
  });

  it('row count listeners get the new count', () => {
    const store = createStore();
    const count = recorder();
    store.addRowCountListener(null, count.listener);
    store.setRow('t', 'a', {x: 1}).setRow('t', 'b', {x: 1}).setRow('t', 'a', {x: 2});
    store.transaction(() => store.delRow('t', 'a').setRow('t', 'c', {x: 1})); // ids change, count does not
    store.delTable('t');
    expect(count.calls).toEqual([
      ['t', 1],
      ['t', 2],
      ['t', 0],
    ]);
  });

  it('has listeners fire when existence flips, with the new state', () => {
    const store = createStore();
    const hasTables = recorder();
    const hasTable = recorder();
    const hasRow = recorder();
    const hasCell = recorder();
    const hasValues = recorder();
    const hasValue = recorder();
    store.addHasTablesListener(hasTables.listener);
    store.addHasTableListener(null, hasTable.listener);
    store.addHasRowListener('t', null, hasRow.listener);
    store.addHasCellListener(null, 'r', null, hasCell.listener);
    store.addHasValuesListener(hasValues.listener);
    store.addHasValueListener('v', hasValue.listener);
    store.setCell('t', 'r', 'c', 1).setCell('t', 'r', 'c', 2).setCell('t', 'r', 'd', 3);
    store.setValue('v', 1).setValue('v', 2).setValue('w', 1);
    store.delTables().delValues();
    expect(hasTables.calls).toEqual([[true], [false]]);
    expect(hasTable.calls).toEqual([
      ['t', true],
      ['t', false],
    ]);
    expect(hasRow.calls).toEqual([
      ['t', 'r', true],
      ['t', 'r', false],
    ]);
    expect(hasCell.calls).toEqual([
      ['t', 'r', 'c', true],
      ['t', 'r', 'd', true],
      ['t', 'r', 'c', false],
      ['t', 'r', 'd', false],
    ]);
    expect(hasValues.calls).toEqual([[true], [false]]);
    expect(hasValue.calls).toEqual([
      ['v', true],
      ['v', false],
    ]);
  });

  it('value listeners get new and old value; values and value ids listeners fire on change', () => {
    const store = createStore();
    const value = recorder();
    const anyValue = recorder();
    const valueIds = recorder();
    const all = recorder();
    store.addValueListener('v', value.listener);
    store.addValueListener(null, anyValue.listener);
    store.addValueIdsListener(valueIds.listener);
    store.addValuesListener(all.listener);
    store.setValues({v: 1, w: 'a'}).setValue('v', 2).setValue('v', 2).delValue('w');
    expect(value.calls).toEqual([
      ['v', 1, undefined],
      ['v', 2, 1],
    ]);
    expect(anyValue.calls).toEqual([
      ['v', 1, undefined],
      ['w', 'a', undefined],
      ['v', 2, 1],
      ['w', undefined, 'a'],
    ]);
    expect(valueIds.calls.length).toBe(2);
    expect(all.calls.length).toBe(3);
  });

  it('numeric listener ids are coerced like data ids', () => {
    const store = createStore();
    const cell = recorder();
    store.addCellListener(1, 2, 3, cell.listener);
    store.setCell('1', '2', '3', true);
    expect(cell.calls).toEqual([['1', '2', '3', true, undefined]]);
  });

  it('deleted listeners are not called', () => {
    const store = createStore();
    const cell = recorder();
    const id = store.addCellListener(null, null, null, cell.listener);
    store.setCell('t', 'r', 'c', 1);
    store.delListener(id);
    store.setCell('t', 'r', 'c', 2);
    expect(cell.calls.length).toBe(1);
    expect(store.getListenerStats().cell).toBe(0);
  });

  it('fires deepest first: cell, row, table, tables, then values, then did-finish', () => {
    const store = createStore();
    const order: string[] = [];
    store.addDidFinishTransactionListener(() => order.push('did'));
    store.addValuesListener(() => order.push('values'));
    store.addTablesListener(() => order.push('tables'));
    store.addTableListener(null, () => order.push('table'));
    store.addRowListener(null, null, () => order.push('row'));
    store.addCellListener(null, null, null, () => order.push('cell'));
    store.addInvalidCellListener(null, null, null, () => order.push('invalid'));
    store.transaction(() =>
      store.setValue('v', 1).setCell('t', 'r', 'c', 1).setCell('t', 'r', 'x', Number.NaN),
    );
    expect(order).toEqual(['invalid', 'cell', 'row', 'table', 'tables', 'values', 'did']);
  });
  it('a listener added while a transaction closes does not hear about that transaction', () => {
    const store = createStore();
    const late = recorder();
    store.addCellListener(null, null, null, (s) => {
      if (!s.getListenerStats().row) s.addRowListener(null, null, late.listener);
    });
    store.setCell('t', 'r', 'c', 1);
    expect(late.calls).toEqual([]);
    store.setCell('t', 'r', 'c', 2);
    expect(late.calls).toEqual([['t', 'r']]);
  });
});

describe('listener administration', () => {
  it('getListenerStats counts listeners by kind', () => {
    const store = createStore();
    const noop = () => {};
    store.addCellListener(null, null, null, noop);
    store.addCellListener('t', null, null, noop);
    store.addRowChangesListener(null, noop);
    store.addStartTransactionListener(noop);
    store.addDidFinishTransactionListener(noop);
    const id = store.addSortedRowIdsListener('t', undefined, false, 0, undefined, noop);
    const stats = store.getListenerStats();
    expect(stats.cell).toBe(2);
    expect(stats.rowChanges).toBe(1);
    expect(stats.transaction).toBe(2);
    expect(stats.sortedRowIds).toBe(1);
    expect(stats.tables).toBe(0);
    store.delListener(id);
    expect(store.getListenerStats().sortedRowIds).toBe(0);
  });

  it('callListener calls a listener with the current state, once per matching existing id', () => {
    const store = createStore()
      .setTables({t: {r: {a: 1, b: 2}}, u: {s: {a: 3}}})
      .setValues({v: 1});
    const cell = recorder();
    const exact = recorder();
    const rowCount = recorder();
    const hasValue = recorder();
    const value = recorder();
    const tables = recorder();
    const rowChanges = recorder();
    const cellId = store.addCellListener(null, null, 'a', cell.listener);
    const exactId = store.addCellListener('t', 'r', 'zz', exact.listener);
    const countId = store.addRowCountListener(null, rowCount.listener);
    const hasValueId = store.addHasValueListener('w', hasValue.listener);
    const valueId = store.addValueListener(null, value.listener);
    const tablesId = store.addTablesListener(tables.listener);
    const changesId = store.addRowChangesListener('t', rowChanges.listener);
    for (const id of [cellId, exactId, countId, hasValueId, valueId, tablesId, changesId])
      store.callListener(id);
    // Called by callListener, the change getters are undefined.
    expect(cell.calls).toEqual([
      ['t', 'r', 'a', 1, 1, undefined],
      ['u', 's', 'a', 3, 3, undefined],
    ]);
    expect(exact.calls).toEqual([['t', 'r', 'zz', undefined, undefined, undefined]]);
    expect(rowCount.calls).toEqual([
      ['t', 1],
      ['u', 1],
    ]);
    expect(hasValue.calls).toEqual([['w', false]]);
    expect(value.calls).toEqual([['v', 1, 1, undefined]]);
    expect(tables.calls).toEqual([[undefined]]);
    expect(rowChanges.calls).toEqual([['t', 'update', ['r']]]);
  });

  it('callListener and delListener ignore unknown ids', () => {
    const store = createStore();
    expect(store.callListener('nope')).toBe(store);
    expect(store.delListener('nope')).toBe(store);
  });
  it('callListener covers has-row, sorted, transaction and table-level kinds; invalid ones are not called', () => {
    const store = createStore().setTable('t', {b: {n: 2}, a: {n: 1}});
    const hasRow = recorder();
    const sorted = recorder();
    const did = recorder();
    const rowIds = recorder();
    const invalid = recorder();
    const ids = [
      store.addHasRowListener('t', null, hasRow.listener),
      store.addSortedRowIdsListener('t', 'n', true, 0, 1, sorted.listener),
      store.addDidFinishTransactionListener(did.listener),
      store.addRowIdsListener(null, rowIds.listener),
      store.addInvalidCellListener(null, null, null, invalid.listener),
    ];
    for (const id of ids) store.callListener(id);
    expect(hasRow.calls).toEqual([
      ['t', 'b', true],
      ['t', 'a', true],
    ]);
    expect(sorted.calls).toEqual([['t', 'n', true, 0, 1, ['b']]]);
    expect(did.calls).toEqual([[]]);
    expect(rowIds.calls).toEqual([['t', undefined]]);
    expect(invalid.calls).toEqual([]);
  });
});
