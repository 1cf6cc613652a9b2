// Compile-time checks (the package's typecheck covers the tests): a JSON object or array
// is a Cell; anything else is a type error that names Cell, down to the bad property.
// The same calls at run time: refused and reported, never half-applied.
import {expect, it} from 'vitest';
import {createStore} from '../src';

it('objects and arrays type-check as cells; Dates and functions inside them do not', () => {
  const store = createStore();
  store.setCell('t', 'r', 'tags', ['a', {deep: [null, true, 1]}]);
  store.setRow('t', 's', {vet: {name: 'Ann'}, visits: [1, 2]});
  store.setValue('config', {theme: 'dark'});
  // @ts-expect-error: a Date is not a Cell ("'Date' is not assignable to ... 'Cell | MapCell'")
  store.setCell('t', 'r', 'when', new Date(0));
  // @ts-expect-error: a function inside an object is not Json ("Types of property 'f' ...")
  store.setCell('t', 'r', 'obj', {f: () => 1});
  // @ts-expect-error: undefined inside an array is not Json
  store.setValue('list', [1, undefined]);
  expect(store.getContent()).toEqual([
    {t: {r: {tags: ['a', {deep: [null, true, 1]}]}, s: {vet: {name: 'Ann'}, visits: [1, 2]}}},
    {config: {theme: 'dark'}},
  ]);
});
