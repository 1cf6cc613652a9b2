// A full save of a big store to a real file: no version vs a version, and (optional) with
// 1% of the stored cells refused by the store's schema (kept and written back).
// Usage (after `pnpm build`): node bench/full-save.mjs [--version N] [--rows N] [--saves N] [--refused]
// Prints one JSON line: median and min of the in-process save times, and the file's size.
import {mkdtemp, rm, stat, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {parseArgs} from 'node:util';
import {createStore} from '@x/store';
import {createFilePersister} from '../dist/index.js';

const {values: args} = parseArgs({
  options: {
    version: {type: 'string', default: '0'},
    rows: {type: 'string', default: '100000'},
    saves: {type: 'string', default: '5'},
    refused: {type: 'boolean', default: false},
  },
});
const version = Number(args.version);
const rows = Number(args.rows);
const saves = Number(args.saves);

const folder = await mkdtemp(join(tmpdir(), 'x-full-save-'));
const path = join(folder, 'pets.json');
try {
  const tables = {pets: {}};
  for (let i = 0; i < rows; i++) {
    // With --refused, every 100th row's `legs` is a string that the schema below refuses.
    tables.pets[`pet${i}`] = {
      species: i % 2 ? 'dog' : 'cat',
      legs: args.refused && i % 100 === 0 ? 'four' : 4,
      name: `pet number ${i}`,
      born: 2000 + (i % 25),
    };
  }
  const stored = version > 0 ? [tables, {n: 0}, {version}] : [tables, {n: 0}];
  await writeFile(path, JSON.stringify(stored));
  const store = createStore();
  if (args.refused)
    store.setTablesSchema({
      pets: {
        species: {type: 'string'},
        legs: {type: 'number'},
        name: {type: 'string'},
        born: {type: 'number'},
      },
    });
  const errors = [];
  const persister = createFilePersister(store, path, (error) => errors.push(error), {
    ...(version > 0 ? {version} : {}),
  });
  await persister.load();
  const times = [];
  for (let i = 0; i < saves; i++) {
    store.setValue('n', i + 1);
    const start = performance.now();
    await persister.save();
    times.push(performance.now() - start);
  }
  await persister.destroy();
  times.sort((a, b) => a - b);
  const unexpected = errors.filter((error) => error.name !== 'PersisterRejectedError');
  if (unexpected.length > 0) throw unexpected[0];
  console.log(
    JSON.stringify({
      rows,
      version,
      refusedCells: persister.getRejected()[0].pets
        ? Object.keys(persister.getRejected()[0].pets).length
        : 0,
      saveMsMedian: Number(times[Math.floor(times.length / 2)].toFixed(1)),
      saveMsMin: Number(times[0].toFixed(1)),
      fileBytes: (await stat(path)).size,
    }),
  );
} finally {
  await rm(folder, {recursive: true, force: true});
}
