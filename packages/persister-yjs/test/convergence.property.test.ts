import type {Store} from '@x/store';
import {createStore} from '@x/store';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import * as Y from 'yjs';
import {createYjsPersister} from '../src';
import {docContent, settle} from './helpers';

// Two stores, each autopersisting into its own doc. The docs exchange updates
// through two queues that deliver in random order and random batches, while
// both sides keep writing.

const tableId = fc.constantFrom('pets', 'toys');
const rowId = fc.constantFrom('a', 'b', 'c');
const cellId = fc.constantFrom('x', 'y');
const cell = fc.oneof(
  fc.integer({min: -3, max: 3}),
  fc.boolean(),
  fc.constantFrom('s', 't'),
  fc.constant(null),
);

type Write =
  | {kind: 'setCell'; t: string; r: string; c: string; v: string | number | boolean | null}
  | {kind: 'setRow'; t: string; r: string; v: string | number | boolean | null}
  | {kind: 'delCell'; t: string; r: string; c: string}
  | {kind: 'delRow'; t: string; r: string}
  | {kind: 'delTable'; t: string}
  | {kind: 'setValue'; c: string; v: string | number | boolean | null}
  | {kind: 'delValue'; c: string};

const write: fc.Arbitrary<Write> = fc.oneof(
  fc.record({kind: fc.constant('setCell' as const), t: tableId, r: rowId, c: cellId, v: cell}),
  fc.record({kind: fc.constant('setRow' as const), t: tableId, r: rowId, v: cell}),
  fc.record({kind: fc.constant('delCell' as const), t: tableId, r: rowId, c: cellId}),
  fc.record({kind: fc.constant('delRow' as const), t: tableId, r: rowId}),
  fc.record({kind: fc.constant('delTable' as const), t: tableId}),
  fc.record({kind: fc.constant('setValue' as const), c: cellId, v: cell}),
  fc.record({kind: fc.constant('delValue' as const), c: cellId}),
);

type Step =
  | {kind: 'write'; side: number; writes: Write[]}
  | {kind: 'deliver'; side: number; picks: number[]}
  | {kind: 'tick'};

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('write' as const),
      side: fc.integer({min: 0, max: 1}),
      writes: fc.array(write, {minLength: 1, maxLength: 4}),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('deliver' as const),
      side: fc.integer({min: 0, max: 1}),
      picks: fc.array(fc.nat(), {minLength: 1, maxLength: 4}),
    }),
  },
  {weight: 1, arbitrary: fc.record({kind: fc.constant('tick' as const)})},
);

const apply = (store: Store, w: Write): void => {
  switch (w.kind) {
    case 'setCell':
      store.setCell(w.t, w.r, w.c, w.v);
      break;
    case 'setRow':
      store.setRow(w.t, w.r, {x: w.v});
      break;
    case 'delCell':
      store.delCell(w.t, w.r, w.c);
      break;
    case 'delRow':
      store.delRow(w.t, w.r);
      break;
    case 'delTable':
      store.delTable(w.t);
      break;
    case 'setValue':
      store.setValue(w.c, w.v);
      break;
    case 'delValue':
      store.delValue(w.c);
  }
};

describe('two stores on two docs exchanging updates', () => {
  it('converge: stores equal, docs equal, each store equals its doc', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, {maxLength: 25}), async (steps) => {
        const docs = [new Y.Doc(), new Y.Doc()];
        const stores = [createStore(), createStore()];
        // inbox[i]: updates made on the other doc, waiting to be delivered to doc i.
        const inbox: Uint8Array[][] = [[], []];
        docs.forEach((doc, i) => {
          doc.on('update', (update: Uint8Array, origin: unknown) => {
            if (origin !== 'network') inbox[1 - i].push(update);
          });
        });
        const persisters = docs.map((doc, i) => createYjsPersister(stores[i], doc));
        await Promise.all(persisters.map((persister) => persister.startAutoPersisting()));

        const deliver = (side: number, picks: number[]) => {
          // Take the picked updates out of order and deliver them as one merged batch.
          const batch: Uint8Array[] = [];
          for (const pick of picks) {
            if (inbox[side].length > 0) {
              batch.push(...inbox[side].splice(pick % inbox[side].length, 1));
            }
          }
          if (batch.length > 0) {
            Y.applyUpdate(docs[side], Y.mergeUpdates(batch), 'network');
          }
        };

        for (const s of steps) {
          if (s.kind === 'write') {
            const store = stores[s.side];
            if (s.writes.length === 1) {
              apply(store, s.writes[0]);
            } else {
              store.transaction(() => {
                for (const w of s.writes) apply(store, w);
              });
            }
          } else if (s.kind === 'deliver') {
            deliver(s.side, s.picks);
          } else {
            await settle(1);
          }
        }

        // Deliver everything that is left (merge-backs make more), until quiet.
        for (let round = 0; round < 20; round++) {
          await settle(3);
          if (inbox[0].length === 0 && inbox[1].length === 0) {
            break;
          }
          for (const side of [0, 1]) {
            deliver(
              side,
              inbox[side].map(() => 0),
            );
          }
        }
        await settle(3);
        expect(inbox).toEqual([[], []]);
        expect(docContent(docs[0])).toEqual(docContent(docs[1]));
        expect(stores[0].getContent()).toEqual(stores[1].getContent());
        for (const i of [0, 1]) {
          expect(docContent(docs[i]) ?? [{}, {}]).toEqual(stores[i].getContent());
        }
        await Promise.all(persisters.map((persister) => persister.destroy()));
      }),
      {numRuns: Number(process.env.FC_RUNS ?? 60)},
    );
  });
});
