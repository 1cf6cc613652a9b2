#!/usr/bin/env node
// End-to-end throughput of createRemotePersister against the reference server
// over loopback (built packages). Prints figures; nothing is asserted.
// Usage: pnpm --filter @x/persister-remote bench
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createStore} from '@x/store';
import {createServer} from 'remote-server';
import {createRemotePersister} from '../dist/index.js';

const dataDir = await mkdtemp(join(tmpdir(), 'persister-remote-bench-'));
const server = createServer({dataDir});
const base = await server.listen(0, '127.0.0.1');
const errors = [];
const persisterFor = (id) => {
  const store = createStore();
  const url = `${base}/stores/${id}`;
  const persister = createRemotePersister(store, url, url, 60, (error) => errors.push(error), {
    retry: {initialDelayMs: 5, maxDelayMs: 100},
  });
  return {store, persister};
};
const time = async (action) => {
  const started = performance.now();
  await action();
  return (performance.now() - started) / 1000;
};
console.log(`@x/persister-remote end to end, node ${process.version}`);

{
  const clients = Array.from({length: 50}, (_, index) => persisterFor(`own${index}`));
  await Promise.all(clients.map(({persister}) => persister.load([{}, {}])));
  const SAVES = 20;
  const seconds = await time(() =>
    Promise.all(
      clients.map(async ({store, persister}, index) => {
        for (let n = 0; n < SAVES; n++) {
          store.setCell('t', `r${n}`, 'c', index * n);
          await persister.save();
        }
      }),
    ),
  );
  const saves = clients.length * SAVES;
  console.log(
    `50 clients, own documents, ${SAVES} awaited saves each: ${Math.round(saves / seconds)} saves/s (${seconds.toFixed(2)} s)`,
  );
  await Promise.all(clients.map(({persister}) => persister.destroy()));
}

{
  const {store, persister} = persisterFor('burst');
  await persister.startAutoSave();
  const seconds = await time(async () => {
    for (let n = 0; n < 1000; n++) store.setCell('t', `r${n % 50}`, 'c', n);
    await persister.save();
  });
  console.log(
    `1 client, 1,000 synchronous edits with autosave, then save(): ${seconds.toFixed(3)} s, ${persister.getStats().saves} writes (coalesced)`,
  );
  await persister.destroy();
}

{
  const clients = Array.from({length: 5}, () => persisterFor('shared'));
  for (const {persister} of clients) await persister.load([{}, {}]);
  const SAVES = 20;
  const seconds = await time(() =>
    Promise.all(
      clients.map(async ({store, persister}, index) => {
        for (let n = 0; n < SAVES; n++) {
          store.setCell('t', `client${index}`, `c${n}`, n);
          await persister.save();
        }
      }),
    ),
  );
  const writes = clients.reduce((sum, {persister}) => sum + persister.getStats().saves, 0);
  console.log(
    `5 clients, one document, ${SAVES} awaited saves each: ${Math.round((clients.length * SAVES) / seconds)} saves/s, ${writes} POSTs for ${clients.length * SAVES} saves (the rest were 412s), ${seconds.toFixed(2)} s`,
  );
  await Promise.all(clients.map(({persister}) => persister.destroy()));
}

console.log(`errors reported: ${errors.length}${errors.length ? ` (first: ${errors[0]})` : ''}`);
await server.close();
await rm(dataDir, {recursive: true, force: true});
