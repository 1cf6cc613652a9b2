import {describe, expect, it} from 'vitest';
import {createStore} from '../src';

const pets = () =>
  createStore().setTable('pets', {
    fido: {species: 'dog', price: 5},
    felix: {species: 'cat', price: 4},
    cujo: {species: 'dog', price: 12},
    tom: {species: 'cat'},
    nemo: {species: 'fish', price: '?'},
  });

describe('getSortedRowIds', () => {
  it('sorts by row id when no cell is given', () => {
    expect(pets().getSortedRowIds('pets')).toEqual(['cujo', 'felix', 'fido', 'nemo', 'tom']);
  });

  it('sorts by a cell: missing first, then numbers before strings; ties by row id', () => {
    expect(pets().getSortedRowIds('pets', 'price')).toEqual([
      'tom',
      'felix',
      'fido',
      'cujo',
      'nemo',
    ]);
    expect(pets().getSortedRowIds('pets', 'species')).toEqual([
      'felix',
      'tom',
      'cujo',
      'fido',
      'nemo',
    ]);
  });

  it('descending reverses the order; offset and limit slice it', () => {
    const store = pets();
    expect(store.getSortedRowIds('pets', 'price', true)).toEqual([
      'nemo',
      'cujo',
      'fido',
      'felix',
      'tom',
    ]);
    expect(store.getSortedRowIds('pets', 'price', false, 1, 2)).toEqual(['felix', 'fido']);
    expect(store.getSortedRowIds('pets', 'price', false, 4, 10)).toEqual(['nemo']);
    expect(store.getSortedRowIds('nothing')).toEqual([]);
  });

  it('the listener fires only when the sorted slice changes, with the new ids', () => {
    const store = pets();
    const calls: unknown[][] = [];
    store.addSortedRowIdsListener('pets', 'price', false, 0, 2, (_s, ...args) => calls.push(args));
    store.setCell('pets', 'cujo', 'price', 13); // outside the slice
    store.setCell('other', 'r', 'price', 1); // another table
    expect(calls).toEqual([]);
    store.setCell('pets', 'cujo', 'price', 1);
    expect(calls).toEqual([['pets', 'price', false, 0, 2, ['tom', 'cujo']]]);
    store.delRow('pets', 'tom');
    expect(calls[1]).toEqual(['pets', 'price', false, 0, 2, ['cujo', 'felix']]);
  });
});
