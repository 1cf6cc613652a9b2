// What a save and a remote change cost as the store grows. Run after `pnpm build`:
//   node bench/incremental.mjs
// - bytes of Yjs update for the first (full) save and per one-cell save;
// - time per one-cell transaction with autosave, awaited one by one;
// - time for 1000 remote one-cell changes to reach the store, against the same
//   changes with autoload off (what Yjs alone costs).
import {createStore} from '@x/store';
import * as Y from 'yjs';
import {createYjsPersister} from '../dist/index.js';

const CHANGES = 1000;
const tick = () => new Promise((resolve) => setImmediate(resolve));

const setup = async (rows) => {
  const doc = new Y.Doc();
  const store = createStore();
  store.transaction(() => {
    for (let r = 0; r < rows; r++) {
      store.setRow('items', `r${r}`, {a: r, b: `text ${r}`, c: r % 2 === 0, d: null, e: r / 3});
    }
  });
  const persister = createYjsPersister(store, doc);
  return {doc, store, persister};
};

const saves = async (rows) => {
  const {doc, store, persister} = await setup(rows);
  const sizes = [];
  doc.on('update', (update) => sizes.push(update.length));
  await persister.startAutoPersisting();
  const full = sizes.splice(0).reduce((a, b) => a + b, 0);
  const start = performance.now();
  for (let i = 0; i < CHANGES; i++) {
    store.setCell('items', `r${i % rows}`, 'a', -i - 1);
    while (
      doc
        .getMap('store')
        .get('t')
        .get('items')
        .get(`r${i % rows}`)
        .get('a') !==
      -i - 1
    ) {
      await tick();
    }
  }
  const ms = (performance.now() - start) / CHANGES;
  await persister.destroy();
  return {full, perSave: sizes.reduce((a, b) => a + b, 0) / sizes.length, ms};
};

const remote = async (rows, autoLoad) => {
  const {doc, store, persister} = await setup(rows);
  await persister.startAutoPersisting();
  if (!autoLoad) persister.stopAutoLoad();
  const items = doc.getMap('store').get('t').get('items');
  const last = `r${(CHANGES - 1) % rows}`;
  const start = performance.now();
  for (let i = 0; i < CHANGES; i++) {
    doc.transact(() => items.get(`r${i % rows}`).set('b', `remote ${i}`), 'peer');
  }
  while (autoLoad && store.getCell('items', last, 'b') !== `remote ${CHANGES - 1}`) {
    await tick();
  }
  const ms = (performance.now() - start) / CHANGES;
  await persister.destroy();
  return ms;
};

for (const rows of [100, 10_000]) {
  const s = await saves(rows);
  const withLoad = await remote(rows, true);
  const without = await remote(rows, false);
  console.log(
    `${String(rows).padStart(6)} rows x 5 cells: full save ${s.full} B, one-cell save ${Math.round(s.perSave)} B ` +
      `and ${s.ms.toFixed(3)} ms; remote one-cell change ${withLoad.toFixed(3)} ms ` +
      `(Yjs alone ${without.toFixed(3)} ms)`,
  );
}
