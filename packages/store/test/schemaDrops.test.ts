// getSchemaDrops tells what setting a schema removed (or defaulted) from what a write
// refused: during the transaction's listeners, fresh copies, empty otherwise.
import {describe, expect, it} from 'vitest';
import {createStore} from '../src';

describe('getSchemaDrops', () => {
  it('lists what a schema dropped or defaulted, not refused writes, and only for that transaction', () => {
    const store = createStore()
      .setTables({pets: {fido: {legs: 'four', tags: ['a']}, rex: {legs: 3}}})
      .setValues({open: 'yes'});
    const seen: unknown[] = [];
    store.addDidFinishTransactionListener((s) => seen.push(s.getSchemaDrops()));
    store.transaction(() => {
      store.setTablesSchema({pets: {legs: {type: 'number', default: 4}}});
      store.setValuesSchema({open: {type: 'boolean'}});
      store.setCell('pets', 'rex', 'legs', 'many' as never);
    });
    store.setCell('pets', 'rex', 'legs', 'x' as never);
    expect(seen).toEqual([
      [{pets: {fido: {legs: 'four', tags: ['a']}}}, {open: 'yes'}],
      [{}, {}],
    ]);
    expect(store.getSchemaDrops()).toEqual([{}, {}]);
    const [first] = seen as [[{pets: {fido: {tags: string[]}}}, unknown]];
    first[0].pets.fido.tags.push('b');
    expect(store.getRow('pets', 'fido')).toEqual({legs: 4});
  });
});
