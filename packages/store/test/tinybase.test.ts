// Differential test: on valid input, the store agrees with TinyBase 10 (a dev
// dependency, used only as a reference) on content, net transaction changes and the
// calls of the common listeners. Where the two differ on purpose (empty objects,
// invalid input), README.md says so; those inputs are not generated here.
import fc from 'fast-check';
import {createStore as createTinyBaseStore} from 'tinybase/store';
import {describe, expect, it} from 'vitest';
import {createStore} from '../src';
import {canon} from './model';

type Op = [string, ...unknown[]];
type AnyStore = Record<string, (...args: unknown[]) => unknown>;

const tableId = fc.constantFrom('t', 'u');
const rowId = fc.constantFrom('r', 's', 'constructor');
const cellId = fc.constantFrom('a', 'b', 'c');
const valueId = fc.constantFrom('v', 'w');
const cell = fc.constantFrom(0, 1, 2.5, 'x', '', true, false);
const row = fc.dictionary(cellId, cell, {minKeys: 1, maxKeys: 3});
const table = fc.dictionary(rowId, row, {minKeys: 1, maxKeys: 3});

const op: fc.Arbitrary<Op> = fc.oneof(
  {weight: 4, arbitrary: fc.tuple(fc.constant('setCell'), tableId, rowId, cellId, cell)},
  fc.tuple(fc.constant('delCell'), tableId, rowId, cellId),
  fc.tuple(fc.constant('delRow'), tableId, rowId),
  fc.tuple(fc.constant('delTable'), tableId),
  {weight: 2, arbitrary: fc.tuple(fc.constant('setRow'), tableId, rowId, row)},
  fc.tuple(fc.constant('setPartialRow'), tableId, rowId, row),
  fc.tuple(fc.constant('setTable'), tableId, table),
  {weight: 2, arbitrary: fc.tuple(fc.constant('setValue'), valueId, cell)},
  fc.tuple(fc.constant('delValue'), valueId),
  fc.tuple(fc.constant('setValues'), fc.dictionary(valueId, cell, {minKeys: 1})),
);

/** Records listener calls (ids and cells only) and the changes of each transaction. */
const observe = (store: AnyStore) => {
  const events: string[] = [];
  const changes: unknown[] = [];
  // TinyBase passes extra arguments (change getters): compare the documented ones only.
  const on = (name: string, arity: number, ...ids: unknown[]) =>
    store[name](...ids, (_s: unknown, ...args: unknown[]) =>
      events.push(
        `${name} ${JSON.stringify(args.slice(0, arity), (_k, v) => (v === undefined ? '<undefined>' : v))}`,
      ),
    );
  on('addCellListener', 5, null, null, null);
  on('addRowListener', 2, null, null);
  on('addTableListener', 1, null);
  on('addRowIdsListener', 1, null);
  on('addCellIdsListener', 2, null, null);
  on('addTableIdsListener', 0);
  on('addHasRowListener', 3, null, null);
  on('addValueListener', 3, null);
  on('addValueIdsListener', 0);
  store.addDidFinishTransactionListener((s: unknown) =>
    changes.push(canon((s as {getTransactionChanges: () => unknown}).getTransactionChanges())),
  );
  return {events, changes};
};

describe('agreement with TinyBase 10 on valid input', () => {
  it('content, transaction changes and listener calls are the same', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(op, {minLength: 1, maxLength: 4}), {maxLength: 10}),
        (steps) => {
          const ours = createStore() as unknown as AnyStore;
          const theirs = createTinyBaseStore() as unknown as AnyStore;
          const seenOurs = observe(ours);
          const seenTheirs = observe(theirs);
          for (const ops of steps) {
            for (const store of [ours, theirs]) {
              store.transaction(() => {
                for (const [name, ...args] of ops) store[name](...args);
              });
            }
            expect(canon(ours.getContent())).toEqual(canon(theirs.getContent()));
            expect(seenOurs.changes).toEqual(seenTheirs.changes);
            expect(seenOurs.events.sort()).toEqual(seenTheirs.events.sort());
            for (const seen of [seenOurs, seenTheirs]) seen.events.length = seen.changes.length = 0;
          }
        },
      ),
      {numRuns: 150},
    );
  });
});
