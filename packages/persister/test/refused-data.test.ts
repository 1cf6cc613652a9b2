// Stored data the schema refuses, in the core: kept in storage, reported once
// per refusal, never left behind as a stale store value, forgotten when storage
// itself changes that place, and never confused with the user's own refused writes.
import type {Content} from '@x/store';
import {createStore} from '@x/store';
import {describe, expect, it} from 'vitest';
import {PersisterRejectedError} from '../src';
import {createManualStorage, settle, until} from './helpers/manual-storage';

const NUMBERS = {l: {x: {type: 'number'}, e: {type: 'number'}}} as const;

const setUp = (data: Content, withSchema = true) => {
  const storage = createManualStorage(data);
  storage.autoRead = true;
  storage.autoWrite = true;
  const errors: unknown[] = [];
  const store = createStore();
  if (withSchema) store.setTablesSchema(NUMBERS).setValuesSchema({v: {type: 'number'}});
  const persister = storage.createPersister(store, (error) => errors.push(error));
  const rejectedErrors = () => errors.filter((error) => error instanceof PersisterRejectedError);
  return {storage, store, persister, errors, rejectedErrors};
};

describe('refused stored data', () => {
  it('does not leave the store’s previous value in place of a refused stored cell', async () => {
    const {storage, store, persister} = setUp([{l: {'1': {x: 1, e: 10}, '2': {e: 11}}}, {v: 1}]);
    await persister.startAutoPersisting();
    expect(store.getContent()).toEqual([{l: {'1': {x: 1, e: 10}, '2': {e: 11}}}, {v: 1}]);
    // Another writer: e of row 1 and all of row 2 become something the schema refuses.
    storage.data = [{l: {'1': {x: 1, e: 'bad'}, '2': {e: 'bad'}}}, {v: 'bad'}];
    storage.notify();
    await until(() => !store.hasRow('l', '2'), 'the load');
    expect(store.getContent()).toEqual([{l: {'1': {x: 1}}}, {}]);
    store.setCell('l', '1', 'x', 2);
    await persister.save();
    expect(storage.data).toEqual([{l: {'1': {x: 2, e: 'bad'}, '2': {e: 'bad'}}}, {v: 'bad'}]);
    await persister.destroy();
  });

  it('forgets a kept cell that storage itself changes, and reports a new refusal once', async () => {
    const {storage, store, persister, rejectedErrors} = setUp([{l: {'1': {x: 1, e: 'bad'}}}, {}]);
    await persister.startAutoPersisting();
    expect(persister.getRejected()).toEqual([{l: {'1': {e: 'bad'}}}, {}]);
    // Storage fixes it (changes heard): the store takes it, nothing is kept.
    storage.data = [{l: {'1': {x: 1, e: 12}}}, {}];
    storage.notify(undefined, [{l: {'1': {e: 12}}}, {}, 1]);
    await until(() => store.getCell('l', '1', 'e') === 12, 'the changes');
    expect(persister.getRejected()).toEqual([{}, {}]);
    // Storage refuses again with another value: one more report, with that value.
    storage.data = [{l: {'1': {x: 1, e: 'worse'}}}, {}];
    storage.notify(undefined, [{l: {'1': {e: 'worse'}}}, {}, 1]);
    await until(() => rejectedErrors().length === 2, 'the second report');
    expect((rejectedErrors()[1] as PersisterRejectedError).rejected).toEqual([
      {l: {'1': {e: 'worse'}}},
      {},
    ]);
    expect(store.getRow('l', '1')).toEqual({x: 1});
    // Reading the same again reports nothing new.
    await persister.load();
    expect(rejectedErrors().length).toBe(2);
    await persister.destroy();
  });

  it('the user’s own refused writes are neither kept nor written', async () => {
    const {storage, store, persister, rejectedErrors} = setUp([{l: {'1': {x: 1}}}, {}]);
    await persister.startAutoPersisting();
    store.setCell('l', '1', 'x', 'not a number' as never);
    store.setCell('l', '1', 'e', 5);
    await persister.save();
    expect(storage.data).toEqual([{l: {'1': {x: 1, e: 5}}}, {}]);
    expect(persister.getRejected()).toEqual([{}, {}]);
    expect(rejectedErrors()).toEqual([]);
    await persister.destroy();
  });

  it('a store whose whole content is the user’s (storage never read) wins over a refused stored cell', async () => {
    const {storage, store, persister} = setUp([{l: {'1': {e: 'bad', x: 1}}}, {}]);
    store.setRow('l', '1', {e: 7});
    await persister.save();
    expect(storage.data).toEqual([{l: {'1': {e: 7, x: 1}}}, {}]);
    expect(persister.getRejected()).toEqual([{}, {}]);
    await persister.destroy();
  });

  it('a schema that drops a cell still unsaved keeps it, and it is written', async () => {
    const {storage, store, persister, rejectedErrors} = setUp([{}, {}], false);
    await persister.load();
    // Not autosaving: the cell is a local change that storage does not have yet.
    store.setCell('l', '1', 'e', 'text');
    store.setCell('l', '1', 'x', 1);
    store.transaction(() => {
      store.setTablesSchema(NUMBERS);
      store.setCell('l', '1', 'x', 2);
    });
    expect(store.getRow('l', '1')).toEqual({x: 2});
    await persister.save();
    expect(storage.data).toEqual([{l: {'1': {x: 2, e: 'text'}}}, {}]);
    expect(rejectedErrors().length).toBe(1);
    // An incremental save writes it as well.
    await persister.startAutoSave();
    store.setCell('l', '1', 'x', 3);
    await settle();
    expect(storage.data).toEqual([{l: {'1': {x: 3, e: 'text'}}}, {}]);
    await persister.destroy();
  });

  it('lists every refused path in the error message', async () => {
    const {persister, rejectedErrors} = setUp([
      {l: {'1': {e: 'a'}, '2': {e: 'b', y: 1}}, other: {r: {c: true}}},
      {v: 'c'},
    ]);
    await persister.load();
    const [error] = rejectedErrors() as PersisterRejectedError[];
    expect(error.message.split('\n').slice(1)).toEqual([
      'tables/l/1/e: "a"',
      'tables/l/2/e: "b"',
      'tables/l/2/y: 1',
      'tables/other/r/c: true',
      'values/v: "c"',
    ]);
    await persister.destroy();
  });
});
