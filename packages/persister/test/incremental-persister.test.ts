// createIncrementalPersister: per-table batches, full save = clear + puts (or
// one replaceAll), incremental save = per-table calls (or one applyBatch), and
// storage work proportional to the change.
import type {Content, Id, Row, Values} from '@x/store';
import {createStore} from '@x/store';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {
  createIncrementalPersister,
  type IncrementalOperation,
  type IncrementalStorage,
} from '../src';
import {settle, until} from './helpers/manual-storage';

type Call = [name: string, ...args: unknown[]];

/** Rows in a Map, every call logged. */
const createRowStorage = (initial?: Content) => {
  const rows = new Map<string, Row>();
  const values = new Map<string, Values[string]>();
  const calls: Call[] = [];
  let rowsWritten = 0;
  if (initial) {
    for (const [tableId, table] of Object.entries(initial[0])) {
      for (const [rowId, row] of Object.entries(table)) rows.set(`${tableId}/${rowId}`, row);
    }
    for (const [valueId, value] of Object.entries(initial[1])) values.set(valueId, value);
  }
  const content = (): Content => {
    const tables: Content[0] = {};
    for (const [key, row] of rows) {
      const [tableId, rowId] = key.split('/');
      tables[tableId] ??= {};
      tables[tableId][rowId] = row;
    }
    return [tables, Object.fromEntries(values)];
  };
  const storage: IncrementalStorage = {
    getPersisted: async () => (initial ? content() : undefined),
    putRows: async (tableId: Id, newRows: {[rowId: string]: Row}) => {
      calls.push(['putRows', tableId, Object.keys(newRows)]);
      rowsWritten += Object.keys(newRows).length;
      for (const [rowId, row] of Object.entries(newRows)) rows.set(`${tableId}/${rowId}`, row);
    },
    delRows: async (tableId: Id, rowIds: Id[]) => {
      calls.push(['delRows', tableId, rowIds]);
      for (const rowId of rowIds) rows.delete(`${tableId}/${rowId}`);
    },
    delTable: async (tableId: Id) => {
      calls.push(['delTable', tableId]);
      for (const key of [...rows.keys()]) if (key.startsWith(`${tableId}/`)) rows.delete(key);
    },
    putValues: async (newValues: Values) => {
      calls.push(['putValues', Object.keys(newValues)]);
      for (const [valueId, value] of Object.entries(newValues)) values.set(valueId, value);
    },
    delValues: async (valueIds: Id[]) => {
      calls.push(['delValues', valueIds]);
      for (const valueId of valueIds) values.delete(valueId);
    },
    clear: async () => {
      calls.push(['clear']);
      rows.clear();
      values.clear();
    },
  };
  return {storage, calls, content, rows, values, rowsWritten: () => rowsWritten};
};

/**
 * The same storage plus the atomic members: replaceAll swaps the whole content
 * at once, applyBatch runs the operations on copies and swaps them in only if
 * all succeed (so a failing operation leaves storage as it was).
 */
const createAtomicRowStorage = (
  initial?: Content,
  failOn?: (operation: IncrementalOperation) => boolean,
) => {
  const base = createRowStorage(initial);
  const {rows, values, calls} = base;
  const storage: IncrementalStorage = {
    ...base.storage,
    replaceAll: async ([tables, newValues]: Content) => {
      calls.push(['replaceAll', Object.keys(tables), Object.keys(newValues)]);
      rows.clear();
      values.clear();
      for (const [tableId, table] of Object.entries(tables)) {
        for (const [rowId, row] of Object.entries(table)) rows.set(`${tableId}/${rowId}`, row);
      }
      for (const [valueId, value] of Object.entries(newValues)) values.set(valueId, value);
    },
    applyBatch: async (operations: IncrementalOperation[]) => {
      calls.push(['applyBatch', operations.map((operation) => operation.type)]);
      const nextRows = new Map(rows);
      const nextValues = new Map(values);
      for (const operation of operations) {
        if (failOn?.(operation)) throw new Error(`storage refused ${operation.type}`);
        if (operation.type === 'putRows') {
          for (const [rowId, row] of Object.entries(operation.rows))
            nextRows.set(`${operation.tableId}/${rowId}`, row);
        } else if (operation.type === 'delRows') {
          for (const rowId of operation.rowIds) nextRows.delete(`${operation.tableId}/${rowId}`);
        } else if (operation.type === 'delTable') {
          for (const key of [...nextRows.keys()])
            if (key.startsWith(`${operation.tableId}/`)) nextRows.delete(key);
        } else if (operation.type === 'putValues') {
          for (const [valueId, value] of Object.entries(operation.values))
            nextValues.set(valueId, value);
        } else {
          for (const valueId of operation.valueIds) nextValues.delete(valueId);
        }
      }
      rows.clear();
      for (const [key, row] of nextRows) rows.set(key, row);
      values.clear();
      for (const [key, value] of nextValues) values.set(key, value);
    },
  };
  return {...base, storage};
};

describe('createIncrementalPersister', () => {
  it('writes one row for a one-cell change on a 10,000-row store', async () => {
    const big: Content = [{big: {}}, {}];
    for (let index = 0; index < 10_000; index++) big[0].big[`r${index}`] = {n: index, s: 'x'};
    const {storage, calls, rowsWritten} = createRowStorage(big);
    const store = createStore();
    const persister = createIncrementalPersister(store, storage);
    await persister.startAutoPersisting();
    expect(calls).toEqual([]);
    store.setCell('big', 'r4321', 'n', -1);
    await until(() => calls.length === 1, 'the save');
    await settle();
    expect(calls).toEqual([['putRows', 'big', ['r4321']]]);
    expect(rowsWritten()).toBe(1);
    await persister.destroy();
  });

  it('does a full save as clear plus one putRows per table and one putValues', async () => {
    const {storage, calls, content} = createRowStorage();
    const store = createStore()
      .setTables({pets: {fido: {species: 'dog'}, felix: {species: 'cat'}}, toys: {ball: {n: 1}}})
      .setValues({open: true});
    await createIncrementalPersister(store, storage).save();
    expect(calls).toEqual([
      ['clear'],
      ['putRows', 'pets', ['fido', 'felix']],
      ['putRows', 'toys', ['ball']],
      ['putValues', ['open']],
    ]);
    expect(content()).toEqual(store.getContent());
  });

  it('does a full save as one replaceAll when the storage has it, and nothing else', async () => {
    const {storage, calls, content} = createAtomicRowStorage([{old: {gone: {n: 0}}}, {stale: 1}]);
    const store = createStore()
      .setTables({pets: {fido: {species: 'dog'}}, toys: {ball: {n: 1}}})
      .setValues({open: true});
    // A save replaces what it has not read only when asked to (a plain save() reads and merges first).
    await createIncrementalPersister(store, storage).save({overwrite: true});
    expect(calls).toEqual([['replaceAll', ['pets', 'toys'], ['open']]]);
    expect(content()).toEqual(store.getContent());
  });

  it('does an incremental save as one applyBatch with the operations in order', async () => {
    const {storage, calls, content} = createAtomicRowStorage([
      {pets: {fido: {species: 'dog'}, felix: {species: 'cat'}}, toys: {ball: {n: 1}}},
      {open: true, n: 1},
    ]);
    const store = createStore();
    const persister = createIncrementalPersister(store, storage);
    await persister.startAutoPersisting();
    expect(calls).toEqual([]);
    store.transaction(() => {
      store.delTable('toys');
      store.delRow('pets', 'felix');
      store.setCell('pets', 'fido', 'color', 'brown');
      store.setValue('n', 2);
      store.delValue('open');
    });
    await until(() => calls.length === 1, 'the save');
    await settle();
    expect(calls).toEqual([
      ['applyBatch', ['delRows', 'delRows', 'putRows', 'putValues', 'delValues']],
    ]);
    expect(content()).toEqual(store.getContent());
    await persister.destroy();
  });

  it('keeps a failed applyBatch pending and leaves storage whole until a save succeeds', async () => {
    let refuse = true;
    const errors: unknown[] = [];
    const {storage, calls, content} = createAtomicRowStorage(
      [{pets: {fido: {species: 'dog'}}, toys: {ball: {n: 1}}}, {}],
      (operation) => refuse && operation.type === 'putValues',
    );
    const store = createStore();
    const persister = createIncrementalPersister(store, storage, (error) => errors.push(error), {
      retry: false,
    });
    await persister.startAutoPersisting();
    const before = content();
    store.transaction(() => {
      store.delTable('toys');
      store.setValue('open', true);
    });
    await until(() => errors.length === 1, 'the failed save');
    // The deletion that came before the refused putValues did not reach storage.
    expect(content()).toEqual(before);
    refuse = false;
    await persister.save();
    expect(content()).toEqual(store.getContent());
    expect(calls.map(([name]) => name)).toEqual(['applyBatch', 'replaceAll']);
    await persister.destroy();
  });

  it('batches each transaction per table: delRows, putRows, putValues, delValues (a table deleted here is its rows)', async () => {
    const {storage, calls, content} = createRowStorage([
      {
        pets: {fido: {species: 'dog'}, felix: {species: 'cat'}, rex: {species: 'dog'}},
        toys: {ball: {n: 1}},
      },
      {open: true, n: 1},
    ]);
    const store = createStore();
    const persister = createIncrementalPersister(store, storage);
    await persister.startAutoPersisting();
    store.transaction(() => {
      store.delTable('toys');
      store.delRow('pets', 'felix');
      store.delRow('pets', 'rex');
      store.setCell('pets', 'fido', 'color', 'brown');
      store.setCell('pets', 'toto', 'species', 'dog');
      store.setValue('n', 2);
      store.delValue('open');
    });
    await until(() => calls.length >= 5, 'the save');
    await settle();
    expect(calls).toEqual([
      ['delRows', 'toys', ['ball']],
      ['delRows', 'pets', ['felix', 'rex']],
      ['putRows', 'pets', ['fido', 'toto']],
      ['putValues', ['n']],
      ['delValues', ['open']],
    ]);
    expect(content()).toEqual(store.getContent());
    await persister.destroy();
  });

  it('keeps storage equal to the store over any sequence of edits, atomic or not (property)', async () => {
    const edit = fc.oneof(
      fc.record({
        kind: fc.constant('setCell' as const),
        t: fc.constantFrom('a', 'b'),
        r: fc.constantFrom('1', '2', '3'),
        c: fc.constantFrom('x', 'y'),
        v: fc.integer(),
      }),
      fc.record({
        kind: fc.constant('delCell' as const),
        t: fc.constantFrom('a', 'b'),
        r: fc.constantFrom('1', '2', '3'),
        c: fc.constantFrom('x', 'y'),
      }),
      fc.record({
        kind: fc.constant('delRow' as const),
        t: fc.constantFrom('a', 'b'),
        r: fc.constantFrom('1', '2', '3'),
      }),
      fc.record({kind: fc.constant('delTable' as const), t: fc.constantFrom('a', 'b')}),
      fc.record({kind: fc.constant('setValue' as const), v: fc.integer()}),
      fc.record({kind: fc.constant('await' as const)}),
    );
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.array(edit, {maxLength: 25}), async (atomic, edits) => {
        const {storage, content} = (atomic ? createAtomicRowStorage : createRowStorage)([{}, {}]);
        const store = createStore();
        const persister = createIncrementalPersister(store, storage);
        await persister.startAutoPersisting();
        for (const step of edits) {
          if (step.kind === 'setCell') store.setCell(step.t, step.r, step.c, step.v);
          else if (step.kind === 'delCell') store.delCell(step.t, step.r, step.c);
          else if (step.kind === 'delRow') store.delRow(step.t, step.r);
          else if (step.kind === 'delTable') store.delTable(step.t);
          else if (step.kind === 'setValue') store.setValue('v', step.v);
          else await Promise.resolve();
        }
        await persister.destroy();
        expect(content()).toEqual(store.getContent());
      }),
      {numRuns: 60},
    );
  });
});
