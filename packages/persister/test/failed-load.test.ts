// Guarantee 7: data that cannot be read is reported, leaves the store as it
// was, and is never overwritten as a side effect, until the user changes data.
import {createStore} from '@x/store';
import {describe, expect, it} from 'vitest';
import {createManualStorage, settle, until} from './helpers/manual-storage';

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
  [
    'a cell that is an object',
    [{t: {r: {c: {}}}}, {}],
    'tables.t.r.c: cell must be a string, a finite number, a boolean or null, got an object',
  ],
];

describe('guarantee 7: a failed load is not an empty store', () => {
  for (const [name, garbage, message] of GARBAGE) {
    it(`reports ${name} once, keeps the store, and overwrites it only after a user change`, async () => {
      const storage = createManualStorage(garbage);
      storage.autoRead = true;
      storage.autoWrite = true;
      const errors: unknown[] = [];
      const store = createStore().setTables({pets: {fido: {species: 'dog'}}});
      const persister = storage.createPersister(store, (error) => errors.push(error));
      await persister.startAutoPersisting({pets: {initial: {species: 'never'}}});
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(TypeError);
      expect((errors[0] as TypeError).message).toBe(message);
      expect(store.getTables()).toEqual({pets: {fido: {species: 'dog'}}});
      // Neither startAutoSave nor an autoload nor a reload writes over the garbage.
      storage.notify();
      await until(() => storage.readCount === 2, 'the autoload');
      await persister.load();
      await settle();
      expect(errors).toHaveLength(3);
      expect(storage.writeCalls).toEqual([]);
      expect(storage.data).toEqual(garbage);
      // The user changes data: now the whole store is written, in one full save.
      store.setCell('pets', 'fido', 'color', 'brown');
      await until(() => storage.writeCalls.length === 1, 'the save');
      expect(storage.writeCalls).toEqual([undefined]);
      expect(storage.data).toEqual([{pets: {fido: {species: 'dog', color: 'brown'}}}, {}]);
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
    await settle();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(SyntaxError);
    expect(storage.writeCalls).toEqual([]);
    expect(store.getContent()).toEqual([{}, {mine: 1}]);
    await persister.destroy();
    expect(storage.writeCalls).toEqual([]);
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
    storage.notify(undefined, [{t: {r: {a: [1]}}}, {}, 1] as never);
    storage.notify(undefined, 'garbage' as never);
    expect(errors.map((error) => (error as Error).message)).toEqual([
      'tables.t.r.a: cell must be a string, a finite number, a boolean or null, got the number NaN',
      'tables.t.r.a: cell must be a string, a finite number, a boolean or null, got an array',
      'changes: must be an array [tables, values, 1], got the string "garbage"',
    ]);
    expect(store.getContent()).toEqual([{t: {r: {a: 1}}}, {}]);
    await settle();
    expect(storage.writeCalls).toEqual([]);
    // Storage may hold what was heard: the next save, after a user change, is full.
    store.setValue('mine', 1);
    await until(() => storage.writeCalls.length === 1, 'the save');
    expect(storage.writeCalls).toEqual([undefined]);
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
