// Mutator listeners (`add*Listener(..., listener, true)`): they run inside the
// transaction, before every other listener, and their writes are part of it.
import {describe, expect, it} from 'vitest';
import {createStore} from '../src';

describe('mutator listeners', () => {
  it('write into the same transaction; the other listeners see one transaction', () => {
    const store = createStore();
    const order: string[] = [];
    store.addCellListener(
      'pets',
      null,
      'price',
      (s, t, r, _c, price) => {
        order.push('mutator');
        s.setCell(t, r, 'priceWithTax', Math.round((price as number) * 120) / 100);
      },
      true,
    );
    store.addRowListener('pets', null, (s, t, r) => {
      order.push('row');
      expect(s.getRow(t, r)).toEqual({price: 5, priceWithTax: 6});
    });
    let transactions = 0;
    store.addDidFinishTransactionListener((s) => {
      transactions++;
      expect(s.getTransactionChanges()).toEqual([
        {pets: {fido: {price: 5, priceWithTax: 6}}},
        {},
        1,
      ]);
    });
    store.setCell('pets', 'fido', 'price', 5);
    expect(order).toEqual(['mutator', 'row']);
    expect(transactions).toBe(1);
  });

  it('run before will-finish listeners and before doRollback, which undoes their writes', () => {
    const store = createStore();
    const order: string[] = [];
    store.addValueListener('v', (s) => order.push(`mutator sees ${s.getValue('v')}`), true);
    store.addValueListener('v', () => order.push('listener'));
    store.addWillFinishTransactionListener(() => order.push('will-finish'));
    store.addValueIdsListener((s) => s.setValue('stamp', 1), true);
    store.transaction(
      () => store.setValue('v', 1),
      () => true,
    );
    expect(order).toEqual(['mutator sees 1', 'will-finish']);
    expect(store.getValues()).toEqual({});
  });

  it('are called once per transaction (their own writes do not call them again)', () => {
    const store = createStore();
    let calls = 0;
    store.addRowIdsListener(
      't',
      (s) => {
        calls++;
        s.addRow('t', {made: 'by the mutator'});
      },
      true,
    );
    store.setRow('t', 'r', {a: 1});
    expect(calls).toBe(1);
    expect(store.getRowCount('t')).toBe(2);
  });

  it('are counted in the stats, removed with delListener, and ignored for transaction kinds', () => {
    const store = createStore();
    let calls = 0;
    const id = store.addTablesListener(() => calls++, true);
    expect(store.getListenerStats().tables).toBe(1);
    store.setCell('t', 'r', 'c', 1);
    store.delListener(id);
    store.setCell('t', 'r', 'c', 2);
    expect([calls, store.getListenerStats().tables]).toEqual([1, 0]);
    // A transaction listener takes no mutator flag: an extra `true` changes nothing.
    const order: string[] = [];
    (store.addDidFinishTransactionListener as (...a: unknown[]) => string)(
      () => order.push('did'),
      true,
    );
    store.addTablesListener(() => order.push('tables'));
    store.setCell('t', 'r', 'c', 3);
    expect(order).toEqual(['tables', 'did']);
  });

  it('a throwing mutator does not stop the others; its error is rethrown after all', () => {
    const store = createStore();
    store.addCellListener(
      null,
      null,
      null,
      () => {
        throw new Error('mutator failed');
      },
      true,
    );
    let heard = 0;
    store.addCellListener(null, null, null, () => heard++);
    expect(() => store.setCell('t', 'r', 'c', 1)).toThrow('mutator failed');
    expect([heard, store.getCell('t', 'r', 'c')]).toEqual([1, 1]);
  });
});
