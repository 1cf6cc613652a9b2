// Laws of the IndexedDB persister over random edit sequences: after the writer
// is idle, the database holds exactly the writer's store, and a second tab on
// the same database (hearing only BroadcastChannel messages) holds it too.
import 'fake-indexeddb/auto';
// Key-sorted JSON: contents compare equal whatever their insertion order.
import {canonicalJson as canonical} from '@x/persister';
import {createStore, type Store} from '@x/store';
import fc from 'fast-check';
import {expect, it} from 'vitest';
import {createIndexedDbPersister} from '../src';
import {deleteRaw, readRaw} from './helpers/rawIdb';
import {waitIdle} from './helpers/waitIdle';

const id = fc.constantFrom('a', 'b', '__proto__', 'constructor');
const cell = fc.oneof(fc.string({maxLength: 4}), fc.integer(), fc.boolean(), fc.constant(null));
const edit = fc.oneof(
  fc.tuple(fc.constant('setCell' as const), id, id, id, cell),
  fc.tuple(fc.constant('delCell' as const), id, id, id),
  fc.tuple(fc.constant('delRow' as const), id, id),
  fc.tuple(fc.constant('delTable' as const), id),
  fc.tuple(fc.constant('setValue' as const), id, cell),
  fc.tuple(fc.constant('delValue' as const), id),
);
type Edit = typeof edit extends fc.Arbitrary<infer T> ? T : never;

const apply = (store: Store, [kind, ...args]: Edit) => {
  const [x, y, z, w] = args as [string, string, string, string | number | boolean | null];
  if (kind === 'setCell') store.setCell(x, y, z, w);
  else if (kind === 'delCell') store.delCell(x, y, z);
  else if (kind === 'delRow') store.delRow(x, y);
  else if (kind === 'delTable') store.delTable(x);
  else if (kind === 'setValue') store.setValue(x, y as unknown as string);
  else store.delValue(x);
};

let dbCount = 0;

it('storage and another tab end up equal to the writing store', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.array(edit, {minLength: 1, maxLength: 4}), {minLength: 1, maxLength: 6}),
      fc.array(fc.boolean(), {minLength: 6, maxLength: 6}),
      async (transactions, pauses) => {
        const dbName = `property-${++dbCount}-${Date.now()}`;
        const storeA = createStore();
        const storeB = createStore();
        const tabA = createIndexedDbPersister(storeA, dbName);
        const tabB = createIndexedDbPersister(storeB, dbName);
        await tabA.startAutoPersisting();
        await tabB.startAutoPersisting();
        for (const [index, edits] of transactions.entries()) {
          storeA.transaction(() => {
            for (const one of edits) apply(storeA, one);
          });
          if (pauses[index]) await new Promise((resolve) => setTimeout(resolve, 0));
        }
        await waitIdle(tabA);
        const expected = canonical(storeA.getContent());
        expect(canonical(await readRaw(dbName))).toBe(expected);
        for (
          let attempt = 0;
          attempt < 100 && canonical(storeB.getContent()) !== expected;
          attempt++
        ) {
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        expect(canonical(storeB.getContent())).toBe(expected);
        await tabA.destroy();
        await tabB.destroy();
        await deleteRaw(dbName);
      },
    ),
    {numRuns: 25},
  );
});
