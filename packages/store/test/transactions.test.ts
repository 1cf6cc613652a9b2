import {describe, expect, it} from 'vitest';
import {type Changes, createStore} from '../src';

describe('transactions', () => {
  it('fires listeners once, after the outermost transaction', () => {
    const store = createStore();
    const seen: unknown[] = [];
    store.addCellListener('t', 'r', 'c', (s, _t, _r, _c, cell, old) =>
      seen.push([cell, old, s.getCell('t', 'r', 'd')]),
    );
    store.transaction(() => {
      store.setCell('t', 'r', 'c', 1);
      store.transaction(() => store.setCell('t', 'r', 'c', 2));
      expect(seen).toEqual([]);
      store.setCell('t', 'r', 'd', 'later');
    });
    expect(seen).toEqual([[2, undefined, 'later']]);
  });

  it('startTransaction and finishTransaction nest', () => {
    const store = createStore();
    let calls = 0;
    store.addTablesListener(() => calls++);
    store.startTransaction().startTransaction().setCell('t', 'r', 'c', 1).finishTransaction();
    expect(calls).toBe(0);
    store.finishTransaction();
    expect(calls).toBe(1);
    store.finishTransaction(); // unbalanced: ignored
    expect(calls).toBe(1);
  });

  it('reports net changes to did-finish listeners', () => {
    const store = createStore()
      .setTables({t: {a: {x: 1, y: 2}, b: {x: 1}}, gone: {r: {c: 1}}})
      .setValues({v: 1, w: 2});
    const changes: Changes[] = [];
    store.addDidFinishTransactionListener((s) => changes.push(s.getTransactionChanges()));
    store.transaction(() => {
      store.setCell('t', 'a', 'x', 5); // changed
      store.setCell('t', 'a', 'y', 3).setCell('t', 'a', 'y', 2); // set then restored: no change
      store.delRow('t', 'b');
      store.delTable('gone');
      store.setCell('new', 'r', 'c', true);
      store.delValue('v').setValue('w', 2).setValue('z', null);
    });
    expect(changes).toEqual([
      [
        {t: {a: {x: 5}, b: undefined}, gone: undefined, new: {r: {c: true}}},
        {v: undefined, z: null},
        1,
      ],
    ]);
  });

  it('setting a cell to its current value is no change and fires nothing', () => {
    const store = createStore().setCell('t', 'r', 'c', 1);
    let calls = 0;
    store.addCellListener(null, null, null, () => calls++);
    store.addTablesListener(() => calls++);
    const changes: Changes[] = [];
    store.addDidFinishTransactionListener((s) => changes.push(s.getTransactionChanges()));
    store.setCell('t', 'r', 'c', 1);
    store.transaction(() => store.setCell('t', 'r', 'c', 2).setCell('t', 'r', 'c', 1));
    expect(calls).toBe(0);
    expect(changes).toEqual([
      [{}, {}, 1],
      [{}, {}, 1],
    ]);
  });

  it('doRollback returning true restores the prior content and fires no data listeners', () => {
    const store = createStore()
      .setTables({t: {r: {a: 1, b: 2}}})
      .setValues({v: 1});
    const before = store.getContent();
    let dataCalls = 0;
    store.addCellListener(null, null, null, () => dataCalls++);
    store.addValuesListener(() => dataCalls++);
    store.addRowChangesListener(null, () => dataCalls++);
    let seen: Changes | undefined;
    let after: Changes | undefined;
    store.addDidFinishTransactionListener((s) => (after = s.getTransactionChanges()));
    store.transaction(
      () => {
        store.setCell('t', 'r', 'a', 9).delCell('t', 'r', 'b').setRow('t', 'new', {x: 1});
        store.delValues().setValue('w', 'x');
      },
      (changes) => {
        seen = changes;
        return true;
      },
    );
    expect(seen).toEqual([{t: {r: {a: 9, b: undefined}, new: {x: 1}}}, {v: undefined, w: 'x'}, 1]);
    expect(store.getContent()).toEqual(before);
    expect(dataCalls).toBe(0);
    expect(after).toEqual([{}, {}, 1]);
  });

  it('doRollback returning false keeps the changes', () => {
    const store = createStore();
    store.transaction(
      () => store.setCell('t', 'r', 'c', 1),
      () => false,
    );
    expect(store.getCell('t', 'r', 'c')).toBe(1);
  });

  it('an exception in the actions rolls back and propagates', () => {
    const store = createStore().setCell('t', 'r', 'c', 1);
    expect(() =>
      store.transaction(() => {
        store.setCell('t', 'r', 'c', 2);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(store.getCell('t', 'r', 'c')).toBe(1);
    store.setCell('t', 'r', 'c', 3);
    expect(store.getCell('t', 'r', 'c')).toBe(3);
  });

  it('returns what the actions return', () => {
    expect(createStore().transaction(() => 42)).toBe(42);
  });

  it('calls start, will-finish and did-finish listeners in order', () => {
    const store = createStore();
    const order: string[] = [];
    store.addStartTransactionListener(() => order.push('start'));
    store.addWillFinishTransactionListener(() => order.push('will'));
    store.addCellListener(null, null, null, () => order.push('cell'));
    store.addDidFinishTransactionListener(() => order.push('did'));
    store.transaction(() => {
      order.push('actions');
      store.setCell('t', 'r', 'c', 1);
    });
    expect(order).toEqual(['start', 'actions', 'will', 'cell', 'did']);
  });

  it('writes in will-finish listeners join the transaction', () => {
    const store = createStore();
    store.addWillFinishTransactionListener((s) => {
      if (s.hasCell('t', 'r', 'c') && !s.hasCell('t', 'r', 'stamp'))
        s.setCell('t', 'r', 'stamp', 'yes');
    });
    const changes: Changes[] = [];
    let starts = 0;
    store.addStartTransactionListener(() => starts++);
    store.addDidFinishTransactionListener((s) => changes.push(s.getTransactionChanges()));
    store.setCell('t', 'r', 'c', 1);
    expect(changes).toEqual([[{t: {r: {c: 1, stamp: 'yes'}}}, {}, 1]]);
    expect(starts).toBe(1);
  });

  it('writes in data listeners start a new transaction after the current one', () => {
    const store = createStore();
    store.addCellListener('t', 'r', 'c', (s, _t, _r, _c, cell) =>
      s.setCell('t', 'r', 'double', (cell as number) * 2),
    );
    const changes: Changes[] = [];
    const order: string[] = [];
    store.addCellListener('t', 'r', null, (_s, _t, _r, c, cell) => order.push(`${c}=${cell}`));
    store.addDidFinishTransactionListener((s) => changes.push(s.getTransactionChanges()));
    store.setCell('t', 'r', 'c', 2);
    expect(store.getRow('t', 'r')).toEqual({c: 2, double: 4});
    expect(changes).toEqual([
      [{t: {r: {c: 2}}}, {}, 1],
      [{t: {r: {double: 4}}}, {}, 1],
    ]);
    expect(order).toEqual(['c=2', 'double=4']);
  });

  it('a listener that keeps writing is stopped with an error, and the store stays usable', () => {
    const store = createStore();
    store.addValueListener('n', (s, _v, value) => s.setValue('n', (value as number) + 1));
    expect(() => store.setValue('n', 0)).toThrow(/kept writing/);
    store.delListener('0');
    store.setValue('n', 5);
    expect(store.getValue('n')).toBe(5);
  });

  it('a throwing listener does not stop the others; its error is rethrown', () => {
    const store = createStore();
    let after = 0;
    store.addCellListener(null, null, null, () => {
      throw new Error('listener failed');
    });
    store.addCellListener(null, null, null, () => after++);
    expect(() => store.setCell('t', 'r', 'c', 1)).toThrow('listener failed');
    expect(after).toBe(1);
    expect(store.getCell('t', 'r', 'c')).toBe(1);
    expect(() => store.setCell('t', 'r', 'c', 2)).toThrow('listener failed');
    expect(after).toBe(2);
    expect(store.getCell('t', 'r', 'c')).toBe(2);
  });

  it('getTransactionChanges outside a transaction is empty', () => {
    expect(createStore().setCell('t', 'r', 'c', 1).getTransactionChanges()).toEqual([{}, {}, 1]);
  });
  it('an unbalanced finishTransaction in a will-finish listener is ignored', () => {
    const store = createStore();
    let did = 0;
    store.addDidFinishTransactionListener(() => did++);
    store.addWillFinishTransactionListener((s) => s.finishTransaction());
    store.setCell('t', 'r', 'c', 1);
    expect(did).toBe(1);
    store.setCell('t', 'r', 'c', 2);
    expect(did).toBe(2);
  });

  it('writes in did-finish listeners become the next transaction, with its own listeners', () => {
    const store = createStore();
    const changes: Changes[] = [];
    store.addDidFinishTransactionListener((s) => {
      changes.push(s.getTransactionChanges());
      if (s.getValue('count') === undefined) s.setValue('count', s.getRowCount('t'));
    });
    store.setRow('t', 'a', {x: 1});
    expect(store.getValue('count')).toBe(1);
    expect(changes).toEqual([
      [{t: {a: {x: 1}}}, {}, 1],
      [{}, {count: 1}, 1],
    ]);
  });

  it('a data listener sees the new and old cell of its own transaction even after another listener wrote', () => {
    const store = createStore().setCell('t', 'r', 'c', 1);
    store.addCellListener('t', 'r', 'c', (s) => s.setCell('t', 'r', 'c', 100));
    const seen: unknown[] = [];
    store.addCellListener('t', 'r', 'c', (_s, _t, _r, _c, cell, old) => seen.push([cell, old]));
    store.addRowListener('t', 'r', (s) => seen.push(['row', s.getCell('t', 'r', 'c')]));
    store.setCell('t', 'r', 'c', 2);
    expect(seen).toEqual([
      [2, 1],
      ['row', 100],
      [100, 2],
      ['row', 100],
    ]);
  });

  it('invalid listeners are told even when the transaction is rolled back', () => {
    const store = createStore();
    let invalid = 0;
    store.addInvalidCellListener(null, null, null, () => invalid++);
    store.transaction(
      () => store.setCell('t', 'r', 'c', Number.NaN),
      () => true,
    );
    expect(invalid).toBe(1);
  });

  it('an inner transaction() that throws rolls back the whole outermost one, even if caught', () => {
    const store = createStore().setValue('v1', 1);
    let dataCalls = 0;
    store.addValuesListener(() => dataCalls++);
    store.addTablesListener(() => dataCalls++);
    const result = store.transaction(() => {
      store.setCell('t', 'r', 'c', 1);
      try {
        store.transaction(() => {
          store.setValue('v1', 2);
          throw new Error('inner');
        });
      } catch {
        // caught by the outer transaction, which carries on
      }
      store.setValue('v2', 3);
      return 'done';
    });
    expect(result).toBe('done');
    expect(store.getContent()).toEqual([{}, {v1: 1}]);
    expect(dataCalls).toBe(0);
    // The next transaction is a fresh one.
    store.setValue('v1', 4);
    expect([store.getValue('v1'), dataCalls]).toEqual([4, 1]);
  });

  it('getTransactionLog: the open transaction in will-finish, the finished one in did-finish', () => {
    const store = createStore()
      .setTables({t: {r: {a: 1}}})
      .setValues({v: 1});
    const logs: unknown[] = [];
    store.addStartTransactionListener((s) => logs.push(['start', s.getTransactionLog()]));
    store.addWillFinishTransactionListener((s) => logs.push(['will', s.getTransactionLog()]));
    store.addDidFinishTransactionListener((s) => logs.push(['did', s.getTransactionLog()]));
    store.addInvalidCellListener(null, null, null, () => {});
    store.transaction(() => {
      store.setCell('t', 'r', 'a', 2).setCell('t', 's', 'b', [1]).delValue('v');
      store.setCell('t', 'r', 'x', Number.NaN);
      store.setValue('w', 1).delValue('w');
    });
    const log = [
      true,
      true,
      {t: {r: {a: [1, 2]}, s: {b: [undefined, [1]]}}},
      {t: {r: {x: [Number.NaN]}}},
      {v: [1, undefined]},
      {},
      {},
      {t: {s: 1}},
      {t: {s: {b: 1}}},
      {v: -1},
    ];
    expect(logs).toEqual([
      ['start', [false, false, {}, {}, {}, {}, {}, {}, {}, {}]],
      ['will', log],
      ['did', log],
    ]);
    expect(store.getTransactionLog()).toEqual([false, false, {}, {}, {}, {}, {}, {}, {}, {}]);
  });
});
