// Guarantees 1 and 2 over random interleavings: local edits, external writes
// (told in all three ways), and reads and writes released, failed or refused
// (conflict) in any order, with or without a synchronous echo of each write.
// One storage call at a time, always; in the end storage equals the store.
import type {Changes, Content} from '@x/store';
import {createStore} from '@x/store';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {PersisterConflictError, sameContent} from '../src';
import {applyChangesToContent, cloneJson} from './helpers/content';
import {createManualStorage, settle, until} from './helpers/manual-storage';

const tableId = fc.constantFrom('a', 'b');
const rowId = fc.constantFrom('1', '2', '3');
const cellId = fc.constantFrom('x', 'y');

const step = fc.oneof(
  fc.record({
    kind: fc.constant('setCell' as const),
    t: tableId,
    r: rowId,
    c: cellId,
    v: fc.integer({min: 0, max: 9}),
  }),
  fc.record({kind: fc.constant('delRow' as const), t: tableId, r: rowId}),
  fc.record({kind: fc.constant('delTable' as const), t: tableId}),
  fc.record({kind: fc.constant('setValue' as const), v: fc.integer({min: 0, max: 9})}),
  fc.record({
    kind: fc.constant('external' as const),
    t: fc.constantFrom('a', 'ext'),
    r: rowId,
    v: fc.integer({min: 10, max: 19}),
    tell: fc.constantFrom('reread', 'content', 'changes'),
  }),
  fc.constant({kind: 'release' as const}),
  fc.constant({kind: 'release' as const}),
  fc.constant({kind: 'fail' as const}),
  fc.constant({kind: 'conflict' as const}),
  fc.constant({kind: 'settle' as const}),
  fc.constant({kind: 'garbage' as const}),
);

describe('random interleavings', () => {
  it('never overlaps storage calls and ends with storage equal to the store (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, {minLength: 1, maxLength: 30}),
        fc.boolean(),
        async (steps, echo) => {
          const storage = createManualStorage([{a: {'1': {x: 0}}}, {}]);
          // Like Yjs: each write commits at once and is heard back from inside setPersisted.
          storage.echoInsideWrite = echo;
          storage.autoRead = true;
          const store = createStore();
          const errors: unknown[] = [];
          const persister = storage.createPersister(store, (error) => errors.push(error), {
            retry: {initialDelayMs: 1, maxDelayMs: 2},
          });
          await persister.startAutoPersisting();
          storage.autoRead = false;
          const injected: Error[] = [];
          for (const action of steps) {
            switch (action.kind) {
              case 'setCell':
                store.setCell(action.t, action.r, action.c, action.v);
                break;
              case 'delRow':
                store.delRow(action.t, action.r);
                break;
              case 'delTable':
                store.delTable(action.t);
                break;
              case 'setValue':
                store.setValue('v', action.v);
                break;
              case 'external': {
                const changes: Changes = [{[action.t]: {[action.r]: {z: action.v}}}, {}, 1];
                storage.data = applyChangesToContent(storage.data as Content, changes);
                if (action.tell === 'reread') storage.notify();
                else if (action.tell === 'content')
                  storage.notify(cloneJson(storage.data as Content));
                else storage.notify(undefined, changes);
                break;
              }
              case 'release':
                (storage.reads[0] ?? storage.writes[0])?.release();
                break;
              case 'fail': {
                const error = new Error(`injected ${injected.length}`);
                const held = storage.reads[0] ?? storage.writes[0];
                if (held) {
                  injected.push(error);
                  held.fail(error);
                }
                break;
              }
              case 'conflict':
                storage.writes[0]?.fail(new PersisterConflictError());
                break;
              case 'settle':
                await settle();
                break;
              case 'garbage':
                storage.notify(undefined, [{a: {'1': {x: Number.NaN}}}, {}, 1] as never);
                break;
            }
            await Promise.resolve();
            expect(storage.reads.length + storage.writes.length).toBeLessThanOrEqual(1);
          }
          storage.autoRead = true;
          storage.autoWrite = true;
          // After a failed read nothing is written until the user changes data: do so.
          store.setValue('final', true);
          for (const held of [...storage.reads, ...storage.writes]) held.release();
          // Retries run on timers: wait (bounded) until storage caught up, then check.
          await until(
            () => persister.getStatus() === 0 && sameContent(storage.data, store.getContent()),
            'storage to equal the store',
          ).catch(() => {});
          await persister.schedule(async () => {});
          expect(storage.data).toEqual(store.getContent());
          // Every error reported was one this test injected, or a conflict give-up.
          for (const error of errors) {
            expect(
              injected.includes(error as Error) ||
                /gave up saving|tables\.a\["1"\]\.x: cell/.test((error as Error).message),
            ).toBe(true);
          }
          await persister.destroy();
        },
      ),
      {numRuns: Number(process.env.INTERLEAVING_RUNS ?? 80)},
    );
  });
});
