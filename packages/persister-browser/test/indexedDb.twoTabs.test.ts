// Two tabs on one IndexedDB database (two connections, fake-indexeddb; Node's
// BroadcastChannel between them): edits to different cells of one row both
// survive, and a full save never replaces rows another tab wrote unseen.
import 'fake-indexeddb/auto';
import {createStore} from '@x/store';
import {describe, expect, it} from 'vitest';
import {createIndexedDbPersister} from '../src';
import {deleteRaw, readRaw} from './helpers/rawIdb';
import {waitIdle} from './helpers/waitIdle';

let dbCount = 0;
const newDbName = () => `idb-two-tabs-${++dbCount}-${Date.now()}`;

describe('IndexedDB: two tabs', () => {
  it('keeps both edits when one tab sets a cell while the other renames the same row (15 attempts)', async () => {
    for (let attempt = 0; attempt < 15; attempt++) {
      const dbName = newDbName();
      const storeA = createStore();
      const storeB = createStore();
      const tabA = createIndexedDbPersister(storeA, dbName);
      const tabB = createIndexedDbPersister(storeB, dbName);
      await tabA.startAutoPersisting({todos: {t1: {text: 'milk', done: false}}});
      await tabB.startAutoPersisting();
      // No waiting between the two edits: both saves are in flight at once.
      storeA.setCell('todos', 't1', 'done', true);
      storeB.setCell('todos', 't1', 'text', 'oat milk');
      await waitIdle(tabA);
      await waitIdle(tabB);
      const expected = [{todos: {t1: {text: 'oat milk', done: true}}}, {}];
      expect({attempt, stored: await readRaw(dbName)}).toEqual({attempt, stored: expected});
      expect({attempt, a: storeA.getContent()}).toEqual({attempt, a: expected});
      expect({attempt, b: storeB.getContent()}).toEqual({attempt, b: expected});
      await tabA.destroy();
      await tabB.destroy();
      await deleteRaw(dbName);
    }
  });

  it('turns a full save over rows another tab wrote since it last read into reload, rebase and save', async () => {
    const dbName = newDbName();
    const storeA = createStore();
    const storeB = createStore();
    const tabA = createIndexedDbPersister(storeA, dbName);
    const tabB = createIndexedDbPersister(storeB, dbName);
    await tabA.startAutoLoad({todos: {t1: {text: 'milk'}}});
    await tabA.save();
    await tabB.startAutoPersisting();
    // A stops listening, so it cannot hear B: its next full save must find out by itself.
    tabA.stopAutoLoad();
    storeB.setRow('todos', 't2', {text: 'eggs'});
    await waitIdle(tabB);
    storeA.setRow('todos', 't3', {text: 'tea'});
    await tabA.save();
    const expected = [{todos: {t1: {text: 'milk'}, t2: {text: 'eggs'}, t3: {text: 'tea'}}}, {}];
    expect(await readRaw(dbName)).toEqual(expected);
    expect(storeA.getContent()).toEqual(expected);
    await tabA.destroy();
    await tabB.destroy();
    await deleteRaw(dbName);
  });
});
