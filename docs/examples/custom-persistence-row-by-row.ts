import {createIncrementalPersister, type IncrementalStorage} from '@x/persister';
import {createStore, type Row, type Value} from '@x/store';

// The storage: rows and values kept one by one, as a database table would.
const tables = new Map<string, Map<string, Row>>();
const values = new Map<string, Value>();
const table = (tableId: string) =>
  tables.get(tableId) ?? tables.set(tableId, new Map()).get(tableId)!;
const writes: string[] = [];

const storage: IncrementalStorage = {
  getPersisted: async () =>
    tables.size + values.size === 0
      ? undefined
      : [
          Object.fromEntries(
            [...tables].map(([tableId, rows]) => [tableId, Object.fromEntries(rows)]),
          ),
          Object.fromEntries(values),
        ],
  putRows: async (tableId, rows) => {
    for (const [rowId, row] of Object.entries(rows)) table(tableId).set(rowId, row);
    writes.push(`putRows ${tableId}: ${Object.keys(rows).join(', ')}`);
  },
  delRows: async (tableId, rowIds) => {
    for (const rowId of rowIds) table(tableId).delete(rowId);
    writes.push(`delRows ${tableId}: ${rowIds.join(', ')}`);
  },
  delTable: async (tableId) => {
    tables.delete(tableId);
    writes.push(`delTable ${tableId}`);
  },
  putValues: async (changed) => {
    for (const [valueId, value] of Object.entries(changed)) values.set(valueId, value);
    writes.push(`putValues: ${Object.keys(changed).join(', ')}`);
  },
  delValues: async (valueIds) => {
    for (const valueId of valueIds) values.delete(valueId);
    writes.push(`delValues: ${valueIds.join(', ')}`);
  },
  clear: async () => {
    tables.clear();
    values.clear();
    writes.push('clear');
  },
};

const store = createStore().setTables({pets: {fido: {species: 'dog'}, felix: {species: 'cat'}}});
const persister = createIncrementalPersister(store, storage);
await persister.save(); // a full save: clear, then every row
await persister.startAutoSave();
store.setCell('pets', 'felix', 'color', 'black'); // an incremental save: one row
store.delRow('pets', 'fido');
await persister.destroy(); // resolves once those changes are stored
for (const write of writes) console.log(write);
// -> clear
// -> putRows pets: fido, felix
// -> delRows pets: fido
// -> putRows pets: felix
