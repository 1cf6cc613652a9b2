// What keeping refused stored data costs a full save: a 100,000-row store is
// loaded from storage (with `REFUSED` of its rows holding one cell the schema
// refuses) and saved whole, `getContent()` read as a backend reads it. Prints the
// median of 9 saves (in-process) of what the persister adds: getContent plus the
// kept data written over it.
// Run: node bench/full-save.mjs [refusedFraction] [path to a build of @x/persister]
// e.g. node bench/full-save.mjs 0; node bench/full-save.mjs 0.01;
//      node bench/full-save.mjs 0 /tmp/previous/dist/index.js (no refused-data support)
import {performance} from 'node:perf_hooks';
import {createStore} from '@x/store';

const refused = Number(process.argv[2] ?? 0);
const core = await import(process.argv[3] ?? '../dist/index.js');
const ROWS = 100_000;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const rows = {};
const every = refused > 0 ? Math.round(1 / refused) : 0;
for (let index = 0; index < ROWS; index++) {
  const row = {name: `pet ${index}`, legs: index % 5};
  // A stored cell the schema refuses: a string where a number must be.
  if (every && index % every === 0) row.legs = 'four';
  rows[`r${index}`] = row;
}
const stored = [{pets: rows}, {open: true}];

const store = createStore().setTablesSchema({
  pets: {name: {type: 'string'}, legs: {type: 'number'}},
});
let saved;
const persister = core.createCustomPersister(
  store,
  async () => stored,
  async (getContent) => {
    saved = getContent();
  },
  () => undefined,
  () => undefined,
  () => {}, // the one PersisterRejectedError
);
await persister.load();
const times = [];
for (let run = 0; run < 9; run++) {
  const start = performance.now();
  await persister.save();
  times.push(performance.now() - start);
}
const keptCells = every ? Math.ceil(ROWS / every) : 0;
const savedLegs = Object.values(saved[0].pets).filter((row) => row.legs === 'four').length;
console.log(
  `full save of ${ROWS} rows, ${keptCells} refused cells kept: median ${median(times).toFixed(1)} ms ` +
    `(min ${Math.min(...times).toFixed(1)}, max ${Math.max(...times).toFixed(1)}); ` +
    `refused cells in what was saved: ${savedLegs}`,
);
await persister.destroy();
