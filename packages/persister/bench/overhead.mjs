// What the persister costs a store: time per local transaction with and
// without an autosaving persister, writes per burst, and the storage work of
// a one-cell change on a 10,000-row store. Run: pnpm --filter @x/persister bench
// (after building @x/store and this package).
import {performance} from 'node:perf_hooks';
import {createStore} from '@x/store';
import {createCustomPersister, createIncrementalPersister} from '../dist/index.js';

const TRANSACTIONS = 10_000;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const transactions = (store) => {
  const start = performance.now();
  for (let index = 0; index < TRANSACTIONS; index++)
    store.setCell('t', `r${index % 500}`, 'n', index);
  return performance.now() - start;
};

const bare = () => transactions(createStore());

const withPersister = async () => {
  const store = createStore();
  let json = '[{},{}]';
  let writes = 0;
  const persister = createCustomPersister(
    store,
    async () => JSON.parse(json),
    async (getContent) => {
      writes++;
      json = JSON.stringify(getContent());
    },
    () => undefined,
    () => undefined,
  );
  await persister.startAutoPersisting();
  const elapsed = transactions(store);
  const settleStart = performance.now();
  await persister.destroy();
  return {elapsed, settle: performance.now() - settleStart, writes};
};

const incremental = async () => {
  const store = createStore();
  const rows = new Map();
  let rowsWritten = 0;
  const persister = createIncrementalPersister(store, {
    getPersisted: async () => undefined,
    putRows: async (tableId, newRows) => {
      for (const [rowId, row] of Object.entries(newRows)) {
        rowsWritten++;
        rows.set(`${tableId}/${rowId}`, row);
      }
    },
    delRows: async () => {},
    delTable: async () => {},
    putValues: async () => {},
    delValues: async () => {},
    clear: async () => rows.clear(),
  });
  const table = {};
  for (let index = 0; index < 10_000; index++) table[`r${index}`] = {n: index, s: 'x'};
  store.setTable('big', table);
  await persister.startAutoSave();
  const afterFull = rowsWritten;
  store.setCell('big', 'r4321', 'n', -1);
  await persister.destroy();
  return {afterFull, oneCell: rowsWritten - afterFull};
};

const runs = 7;
const bareTimes = [];
const persisted = [];
for (let run = 0; run < runs; run++) {
  bareTimes.push(bare());
  persisted.push(await withPersister());
}
const inc = await incremental();
const bareMs = median(bareTimes);
const persistedMs = median(persisted.map((result) => result.elapsed));
console.log(`${TRANSACTIONS} one-cell transactions, median of ${runs} runs`);
console.log(
  `  bare store:                 ${bareMs.toFixed(1)} ms (${((bareMs / TRANSACTIONS) * 1000).toFixed(2)} us each)`,
);
console.log(
  `  with autosaving persister:  ${persistedMs.toFixed(1)} ms (${((persistedMs / TRANSACTIONS) * 1000).toFixed(2)} us each)`,
);
console.log(
  `  setPersisted calls per burst of ${TRANSACTIONS}: ${median(persisted.map((result) => result.writes))}`,
);
console.log(
  `  time from the last transaction to storage caught up: ${median(persisted.map((result) => result.settle)).toFixed(1)} ms`,
);
console.log(
  `incremental persister, 10,000-row table: full save wrote ${inc.afterFull} rows; a one-cell change wrote ${inc.oneCell} row`,
);
