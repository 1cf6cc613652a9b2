// Guarantee 7: data that cannot be read is reported, leaves the store as it
// was, and is never overwritten as a side effect: not by autosave, not after a
// user's change. Autosave reads again with backoff; once storage can be read,
// the pending local changes are rebased on what it holds and saved.
import {createStore} from '@x/store';
import {describe, expect, it} from 'vitest';
import {createManualStorage, settle, until} from './helpers/manual-storage';

const FAST_RETRY = {retry: {initialDelayMs: 1, maxDelayMs: 4}};

const GARBAGE: [name: string, data: unknown, message: string][] = [
  [
    'a string',
    'x',
    'content: must be an array [tables, values] of two objects, got the string "x"',
  ],
  ['an object', {}, 'content: must be an array [tables, values] of two objects, got an object'],
  [
    'an array of one',
    [1],
    'content: must be an array [tables, values] of two objects, got an array of 1',
  ],
  [
    'a table that is a number',
    [{t: 5}, {}],
    'tables.t: table must be a plain object, got the number 5',
  ],
  [
    'a row that is an array',
    [{t: {r: []}}, {}],
    'tables.t.r: row must be a plain object, got an array',
  ],
  ['values that are an array', [{}, [1]], 'values: values must be a plain object, got an array'],
];

describe('guarantee 7: a failed load is not an empty store', () => {
  for (const [name, garbage, message] of GARBAGE) {
    it(`reports ${name}, keeps the store, never writes over it, and saves once storage is readable again`, async () => {
      const storage = createManualStorage(garbage);
      storage.autoRead = true;
      storage.autoWrite = true;
      const errors: unknown[] = [];
      const store = createStore().setTables({pets: {fido: {species: 'dog'}}});
      const persister = storage.createPersister(store, (error) => errors.push(error), FAST_RETRY);
      await persister.startAutoPersisting({pets: {initial: {species: 'never'}}});
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(TypeError);
      expect((errors[0] as TypeError).message).toBe(message);
      expect(store.getTables()).toEqual({pets: {fido: {species: 'dog'}}});
      // Neither an autoload, nor a reload, nor the user's change, nor the retries write over it.
      storage.notify();
      await persister.load();
      store.setCell('pets', 'fido', 'color', 'brown');
      await until(() => storage.readCount >= 6, 'the retries');
      expect(storage.writeCalls).toEqual([]);
      expect(storage.data).toEqual(garbage);
      expect(errors.length).toBeGreaterThanOrEqual(5);
      // Storage is repaired: the next retry reads it, rebases the change and saves it.
      storage.data = [{pets: {rex: {species: 'dog'}}}, {}];
      await until(() => storage.writeCalls.length === 1, 'the save');
      expect(storage.writeCalls).toEqual([[{pets: {fido: {color: 'brown'}}}, {}, 1]]);
      const expected = [{pets: {rex: {species: 'dog'}, fido: {color: 'brown'}}}, {}];
      expect(storage.data).toEqual(expected);
      expect(store.getContent()).toEqual(expected);
      await persister.destroy();
    });
  }

  it('treats a throwing getPersisted (unparseable JSON) the same way', async () => {
    const storage = createManualStorage('{not json');
    storage.autoWrite = true;
    const errors: unknown[] = [];
    const store = createStore().setValue('mine', 1);
    const persister = createStoreWithThrowingRead(storage, store, errors);
    await persister.startAutoPersisting();
    store.setValue('mine', 2);
    await settle();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(SyntaxError);
    expect(storage.writeCalls).toEqual([]);
    expect(store.getContent()).toEqual([{}, {mine: 2}]);
    await persister.destroy();
    expect(storage.writeCalls).toEqual([]);
    expect(storage.data).toBe('{not json');
  });

  it('reports bad content or changes heard by autoload and keeps the store', async () => {
    const storage = createManualStorage([{t: {r: {a: 1}}}, {}]);
    storage.autoRead = true;
    storage.autoWrite = true;
    const errors: unknown[] = [];
    const store = createStore();
    const persister = storage.createPersister(store, (error) => errors.push(error));
    await persister.startAutoPersisting();
    storage.notify([{t: {r: {a: Number.NaN}}}, {}]);
    storage.notify(undefined, [{t: {r: {a: () => 1}}}, {}, 1] as never);
    storage.notify(undefined, 'garbage' as never);
    await settle();
    expect(errors.map((error) => (error as Error).message)).toEqual([
      'tables.t.r.a: cell must be a string, a finite number, a boolean, null, or a JSON object or array, got the number NaN',
      'tables.t.r.a: cell must be a string, a finite number, a boolean, null, or a JSON object or array, got function',
      'changes: must be an array [tables, values, 1], got the string "garbage"',
    ]);
    expect(store.getContent()).toEqual([{t: {r: {a: 1}}}, {}]);
    // Storage may hold what was heard: the user's change waits for a good read.
    store.setValue('mine', 1);
    await settle();
    expect(storage.writeCalls).toEqual([]);
    storage.notify();
    await until(() => storage.writeCalls.length === 1, 'the save');
    expect(storage.writeCalls).toEqual([[{}, {mine: 1}, 1]]);
    expect(storage.data).toEqual([{t: {r: {a: 1}}}, {mine: 1}]);
    await persister.destroy();
  });
});

/** A storage whose read parses text as JSON, as a file or localStorage backend would. */
const createStoreWithThrowingRead = (
  storage: ReturnType<typeof createManualStorage>,
  store: ReturnType<typeof createStore>,
  errors: unknown[],
) => {
  storage.getPersisted = async () => {
    storage.readCount++;
    return JSON.parse(storage.data as string);
  };
  return storage.createPersister(store, (error) => errors.push(error));
};
