#!/usr/bin/env node
// Change propagation between two clients of the reference server (built
// packages, loopback): client A sets a value, how long until client B's store
// has it. Over the change stream, and by polling (1 s) for comparison.
// Prints medians over 100 edits; nothing is asserted.
// Usage: pnpm --filter @x/persister-remote bench:propagation
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createStore} from '@x/store';
import {createServer} from 'remote-server';
import {createRemotePersister} from '../dist/index.js';

const EDITS = 100;
const dataDir = await mkdtemp(join(tmpdir(), 'persister-remote-propagation-'));
const server = createServer({dataDir});
const base = await server.listen(0, '127.0.0.1');
const errors = [];

const measure = async (id, changeStream, edits) => {
  const url = `${base}/stores/${id}`;
  const clients = [0, 1].map(() => {
    const store = createStore();
    const persister = createRemotePersister(store, url, url, 1, (error) => errors.push(error), {
      changeStream,
    });
    return {store, persister};
  });
  const [a, b] = clients;
  await a.persister.startAutoPersisting([{}, {n: 0}]);
  await a.persister.save();
  await b.persister.startAutoPersisting();
  await new Promise((resolve) => setTimeout(resolve, 300));
  const times = [];
  for (let edit = 1; edit <= edits; edit++) {
    const arrived = new Promise((resolve) => {
      const listener = b.store.addValueListener('n', () => {
        if (b.store.getValue('n') !== edit) return;
        b.store.delListener(listener);
        resolve();
      });
    });
    const started = performance.now();
    a.store.setValue('n', edit);
    await arrived;
    times.push(performance.now() - started);
  }
  for (const {persister} of clients) await persister.destroy();
  times.sort((x, y) => x - y);
  return times;
};

console.log(`@x/persister-remote change propagation, node ${process.version}`);
const streamed = await measure('streamed', true, EDITS);
console.log(
  `change stream: median ${streamed[EDITS / 2].toFixed(1)} ms, 90th percentile ${streamed[Math.floor(EDITS * 0.9)].toFixed(1)} ms over ${EDITS} edits`,
);
const polled = await measure('polled', false, 10);
console.log(`polling every 1 s: median ${polled[5].toFixed(0)} ms over 10 edits`);
if (errors.length > 0) console.log(`errors: ${errors.map(String).join('; ')}`);
await server.close();
await rm(dataDir, {recursive: true, force: true});
