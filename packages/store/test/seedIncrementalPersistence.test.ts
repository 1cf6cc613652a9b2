// seeds/incremental-persistence.md, step by step on our API. The seed is
// written against another library (`new Ramify()`, `db.users.subscribe`,
// `where().anyOf().toArray()`, `bulkAdd`), so it cannot run unchanged; SPEC.md
// §2 names `addRowChangesListener` as its observer. This test keeps the seed's
// three steps and its switch over `create`/`update`/`delete`/`clear`, and
// checks what the seed promises: the external storage ends up mirroring the
// store, written row by row.
import {describe, expect, it} from 'vitest';
import {createStore, type Row, type Store} from '../src';

type Doc = Row & {id: string};

/** The seed's `myExternalDB`: an asynchronous keyed storage, counting its writes. */
const createExternalDb = (initial: Doc[] = []) => {
  const tables = new Map<string, Map<string, Doc>>([
    ['users', new Map(initial.map((doc) => [doc.id, doc]))],
  ]);
  const writes: string[] = [];
  const table = (name: string) => tables.get(name) ?? tables.set(name, new Map()).get(name)!;
  return {
    writes,
    async bulkPut(name: string, docs: Doc[]) {
      for (const doc of docs) table(name).set(doc.id, doc);
      writes.push(`put ${docs.map(({id}) => id).join(',')}`);
    },
    async bulkDelete(name: string, keys: string[]) {
      for (const key of keys) table(name).delete(key);
      writes.push(`delete ${keys.join(',')}`);
    },
    async clear(name: string) {
      table(name).clear();
      writes.push('clear');
    },
    async getAll(name: string): Promise<Doc[]> {
      return [...table(name).values()];
    },
  };
};
type ExternalDb = ReturnType<typeof createExternalDb>;

/** The seed's step 2: incremental sync logic, one call per change type. */
const subscribeUsers = (store: Store, myExternalDB: ExternalDb, errors: unknown[]) =>
  store.addRowChangesListener('users', async (store, _tableId, type, keys) => {
    try {
      switch (type) {
        case 'create':
        case 'update': {
          const docs = keys.map((id) => ({id, ...store.getRow('users', id)}));
          await myExternalDB.bulkPut('users', docs);
          break;
        }
        case 'delete':
          await myExternalDB.bulkDelete('users', keys);
          break;
        case 'clear':
          await myExternalDB.clear('users');
          break;
      }
    } catch (error) {
      errors.push(error);
    }
  });

/** The seed's step 3: initial hydration, as one batch. */
const hydrate = async (store: Store, myExternalDB: ExternalDb) => {
  const storedUsers = await myExternalDB.getAll('users');
  store.transaction(() => {
    for (const {id, ...row} of storedUsers) store.setRow('users', id, row);
  });
};

const mirror = async (store: Store, myExternalDB: ExternalDb) => {
  await new Promise((resolve) => setTimeout(resolve, 0));
  const stored = Object.fromEntries(
    (await myExternalDB.getAll('users')).map(({id, ...row}) => [id, row]),
  );
  expect(stored).toEqual(store.getTable('users'));
};

describe('seeds/incremental-persistence.md on @x/store', () => {
  it('keeps an external storage in sync row by row through create, update, delete and clear', async () => {
    const myExternalDB = createExternalDb();
    const errors: unknown[] = [];
    const store = createStore();
    subscribeUsers(store, myExternalDB, errors);

    store.transaction(() => {
      store.setRow('users', 'ann', {email: 'ann@example.com', age: 31});
      store.setRow('users', 'bob', {email: 'bob@example.com', age: 42});
    });
    await mirror(store, myExternalDB);

    store.setCell('users', 'ann', 'age', 32);
    await mirror(store, myExternalDB);

    store.delRow('users', 'bob');
    await mirror(store, myExternalDB);

    store.delTable('users');
    await mirror(store, myExternalDB);

    // Each change is written as the seed's switch says, once, and only for the rows it touched.
    expect(myExternalDB.writes).toEqual(['put ann,bob', 'put ann', 'delete bob', 'clear']);
    expect(errors).toEqual([]);
  });

  it('hydrates from the external storage in one batch, then keeps syncing', async () => {
    const myExternalDB = createExternalDb([
      {id: 'ann', email: 'ann@example.com'},
      {id: 'cy', email: 'cy@example.com'},
    ]);
    const store = createStore();
    const batches: string[][] = [];
    store.addRowChangesListener('users', (_store, _tableId, _type, rowIds) => {
      batches.push(rowIds);
    });
    await hydrate(store, myExternalDB);
    expect(store.getTable('users')).toEqual({
      ann: {email: 'ann@example.com'},
      cy: {email: 'cy@example.com'},
    });
    // One event for the whole hydration, not one per row.
    expect(batches).toEqual([['ann', 'cy']]);

    subscribeUsers(store, myExternalDB, []);
    store.setPartialRow('users', 'cy', {email: 'cy@example.org'});
    await mirror(store, myExternalDB);
  });
});
