// Property: random operations, in and out of transactions (some rolled back), keep the
// store equal to a plain-object model; getTransactionChanges equals the model's diff;
// and every listener fires exactly when what it watches changed.
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {type Cell, type Changes, createStore, type Store} from '../src';
import {expectedEvents} from './expectedEvents';
import * as M from './model';

type Op =
  | ['setCell', string, string, string, unknown]
  | ['delCell', string, string, string]
  | ['delRow', string, string]
  | ['delTable', string]
  | ['delTables']
  | ['setRow', string, string, unknown]
  | ['setPartialRow', string, string, unknown]
  | ['setTable', string, unknown]
  | ['setTables', unknown]
  | ['setValue', string, unknown]
  | ['delValue', string]
  | ['setValues', unknown]
  | ['delValues'];
type Step = {ops: Op[]; transaction: boolean; rollback: boolean};

const tableId = fc.constantFrom('t', 'u', '__proto__');
const rowId = fc.constantFrom('r', 's', 'constructor');
const cellId = fc.constantFrom('a', 'b', 'hasOwnProperty');
const valueId = fc.constantFrom('v', 'w', 'prototype');
// Object and array cells: fresh objects each time (equal by value, never by identity),
// `__proto__` as a plain key, and a string that looks like the store's internal tag.
const jsonCell = fc.constantFrom<() => unknown>(
  () => ({}),
  () => [1],
  () => ({a: 1, b: [true, null]}),
  () => ({b: [true, null], a: 1}),
  () => JSON.parse('{"__proto__":{"x":1}}'),
  () => '\uFFFD{"a":1}',
);
const cell = fc.oneof(
  {weight: 6, arbitrary: fc.constantFrom<unknown>(0, 1, 'x', '', true, false, null)},
  {weight: 2, arbitrary: jsonCell.map((make) => make())},
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>(
      Number.NaN,
      undefined,
      Number.POSITIVE_INFINITY,
      new Date(0),
      {a: undefined},
      [() => 1],
    ),
  },
);
const row = fc.dictionary(cellId, cell, {maxKeys: 3});
const table = fc.dictionary(rowId, row, {maxKeys: 3});
const tables = fc.dictionary(tableId, table, {maxKeys: 2});
const values = fc.dictionary(valueId, cell, {maxKeys: 3});

const op: fc.Arbitrary<Op> = fc.oneof(
  {weight: 5, arbitrary: fc.tuple(fc.constant('setCell' as const), tableId, rowId, cellId, cell)},
  {weight: 2, arbitrary: fc.tuple(fc.constant('delCell' as const), tableId, rowId, cellId)},
  fc.tuple(fc.constant('delRow' as const), tableId, rowId),
  fc.tuple(fc.constant('delTable' as const), tableId),
  fc.tuple(fc.constant('delTables' as const)),
  {weight: 2, arbitrary: fc.tuple(fc.constant('setRow' as const), tableId, rowId, row)},
  fc.tuple(fc.constant('setPartialRow' as const), tableId, rowId, row),
  fc.tuple(fc.constant('setTable' as const), tableId, table),
  fc.tuple(fc.constant('setTables' as const), tables),
  {weight: 2, arbitrary: fc.tuple(fc.constant('setValue' as const), valueId, cell)},
  fc.tuple(fc.constant('delValue' as const), valueId),
  fc.tuple(fc.constant('setValues' as const), values),
  fc.tuple(fc.constant('delValues' as const)),
);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    ops: fc.array(op, {minLength: 1, maxLength: 1}),
    transaction: fc.constant(false),
    rollback: fc.constant(false),
  }),
  fc.record({
    ops: fc.array(op, {maxLength: 6}),
    transaction: fc.constant(true),
    rollback: fc.boolean(),
  }),
);

const applyToStore = (store: Store, [name, ...args]: Op): void => {
  (store[name] as (...a: unknown[]) => unknown)(...args);
};
const applyToModel = (m: M.Model, [name, ...args]: Op): void => {
  const [a, b, c, d] = args as [string, string, string, unknown];
  switch (name) {
    case 'setCell':
      M.setCell(m, a, b, c, d);
      return;
    case 'delCell':
      M.delCell(m, a, b, c);
      return;
    case 'delRow':
      M.delRow(m, a, b);
      return;
    case 'delTable':
      M.delTable(m, a);
      return;
    case 'delTables':
      m.tables = M.obj();
      return;
    case 'setRow':
      M.setRow(m, a, b, c);
      return;
    case 'setPartialRow':
      M.setPartialRow(m, a, b, c);
      return;
    case 'setTable':
      M.setTable(m, a, b);
      return;
    case 'setTables':
      M.setTables(m, a);
      return;
    case 'setValue':
      M.setValue(m, a, b);
      return;
    case 'delValue':
      delete m.values[a];
      return;
    case 'setValues':
      M.setValues(m, a);
      return;
    case 'delValues':
      m.values = M.obj();
      return;
  }
};

const show = (x: Cell | undefined) => (x === undefined ? 'undefined' : JSON.stringify(x));

/** Wildcard listeners of every data kind, recording events in the model's format. */
const listenToEverything = (store: Store, events: string[]) => {
  store.addCellListener(null, null, null, (_s, t, r, c, n, o) =>
    events.push(`cell ${t}/${r}/${c} ${show(n)} ${show(o)}`),
  );
  store.addHasCellListener(null, null, null, (_s, t, r, c, h) =>
    events.push(`hasCell ${t}/${r}/${c} ${h}`),
  );
  store.addRowListener(null, null, (_s, t, r) => events.push(`row ${t}/${r}`));
  store.addCellIdsListener(null, null, (_s, t, r) => events.push(`cellIds ${t}/${r}`));
  store.addHasRowListener(null, null, (_s, t, r, h) => events.push(`hasRow ${t}/${r} ${h}`));
  store.addTableListener(null, (_s, t) => events.push(`table ${t}`));
  store.addRowIdsListener(null, (_s, t) => events.push(`rowIds ${t}`));
  store.addRowCountListener(null, (_s, t, n) => events.push(`rowCount ${t} ${n}`));
  store.addTableCellIdsListener(null, (_s, t) => events.push(`tableCellIds ${t}`));
  store.addHasTableListener(null, (_s, t, h) => events.push(`hasTable ${t} ${h}`));
  store.addRowChangesListener(null, (_s, t, type, ids) =>
    events.push(`rowChanges ${t} ${type} ${[...ids].sort().join(',')}`),
  );
  store.addTableIdsListener(() => events.push('tableIds'));
  store.addTablesListener(() => events.push('tables'));
  store.addHasTablesListener((_s, h) => events.push(`hasTables ${h}`));
  store.addValueListener(null, (_s, v, n, o) => events.push(`value ${v} ${show(n)} ${show(o)}`));
  store.addHasValueListener(null, (_s, v, h) => events.push(`hasValue ${v} ${h}`));
  store.addValueIdsListener(() => events.push('valueIds'));
  store.addValuesListener(() => events.push('values'));
  store.addHasValuesListener((_s, h) => events.push(`hasValues ${h}`));
};

describe('property: the store behaves like the model', () => {
  it('content, transaction changes and listener calls match after every step', () => {
    fc.assert(
      fc.property(fc.array(step, {maxLength: 12}), (steps) => {
        const store = createStore();
        let model = M.emptyModel();
        const events: string[] = [];
        listenToEverything(store, events);
        const changes: Changes[] = [];
        store.addDidFinishTransactionListener((s) => changes.push(s.getTransactionChanges()));

        for (const {ops, transaction, rollback} of steps) {
          const before = M.cloneModel(model);
          events.length = 0;
          changes.length = 0;
          if (transaction) {
            store.transaction(
              () => {
                for (const o of ops) applyToStore(store, o);
                expect(events).toEqual([]); // nothing fires inside a transaction
              },
              () => rollback,
            );
            if (!rollback) for (const o of ops) applyToModel(model, o);
          } else {
            applyToStore(store, ops[0]);
            applyToModel(model, ops[0]);
          }
          expect(M.canon(store.getContent())).toEqual(M.canon([model.tables, model.values]));
          expect(changes.length).toBe(1);
          expect(M.canon(changes[0])).toEqual(M.canon(M.diff(before, model)));
          expect([...events].sort()).toEqual(expectedEvents(before, model));
          model = M.cloneModel(model);
        }
        expect(Object.keys(Object.prototype)).toEqual([]);
      }),
      {numRuns: 200},
    );
  });
  it('listeners that write start a follow-up transaction; each transaction reports exactly its own changes', () => {
    const dataTableId = fc.constantFrom('t', '__proto__');
    const writeOp: fc.Arbitrary<Op> = fc.oneof(
      {
        weight: 4,
        arbitrary: fc.tuple(fc.constant('setCell' as const), dataTableId, rowId, cellId, cell),
      },
      {weight: 2, arbitrary: fc.tuple(fc.constant('delCell' as const), dataTableId, rowId, cellId)},
      fc.tuple(fc.constant('delRow' as const), dataTableId, rowId),
      fc.tuple(fc.constant('delTable' as const), dataTableId),
      {weight: 2, arbitrary: fc.tuple(fc.constant('setRow' as const), dataTableId, rowId, row)},
    );
    fc.assert(
      fc.property(
        fc.array(fc.array(writeOp, {minLength: 1, maxLength: 5}), {maxLength: 8}),
        (steps) => {
          const store = createStore();
          // Copies cell a into cell b of the same row. Registered first, so it writes to the
          // very rows and cells that the other listeners of the same transaction report on.
          store.addCellListener(null, null, 'a', (s, t, r, _c, newCell) => {
            if (newCell === undefined) s.delCell(t, r, 'b');
            else s.setCell(t, r, 'b', newCell);
          });
          const events: string[] = [];
          listenToEverything(store, events);
          const rounds: {events: string[]; changes: unknown}[] = [];
          store.addDidFinishTransactionListener((s) => {
            rounds.push({
              events: events.splice(0).sort(),
              changes: M.canon(s.getTransactionChanges()),
            });
          });
          let model = M.emptyModel();
          for (const ops of steps) {
            const before = M.cloneModel(model);
            rounds.length = 0;
            store.transaction(() => {
              for (const o of ops) applyToStore(store, o);
            });
            for (const o of ops) applyToModel(model, o);
            const afterOps = M.cloneModel(model);
            let copied = false;
            for (const t of new Set([
              ...Object.keys(before.tables),
              ...Object.keys(afterOps.tables),
            ])) {
              const rows = new Set([
                ...Object.keys(before.tables[t] ?? {}),
                ...Object.keys(afterOps.tables[t] ?? {}),
              ]);
              for (const r of rows) {
                const a = afterOps.tables[t]?.[r]?.a;
                if (M.same(before.tables[t]?.[r]?.a, a)) continue;
                copied = true;
                if (a === undefined) M.delCell(model, t, r, 'b');
                else M.setCell(model, t, r, 'b', a);
              }
            }
            expect(M.canon(store.getContent())).toEqual(M.canon([model.tables, model.values]));
            const expected = [
              {
                events: expectedEvents(before, afterOps),
                changes: M.canon(M.diff(before, afterOps)),
              },
            ];
            if (copied)
              expected.push({
                events: expectedEvents(afterOps, model),
                changes: M.canon(M.diff(afterOps, model)),
              });
            expect(rounds).toEqual(expected);
            model = M.cloneModel(model);
          }
        },
      ),
      {numRuns: 150},
    );
  });
});
