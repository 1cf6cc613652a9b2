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

{
  // Bytes on the wire for a 10,000-row document, versioned or not: the body of
  // the full save (POST) and of a one-cell incremental save (PATCH), as the
  // persister sent them (global fetch recorded; the server is the real one).
  const bodies = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input, init = {}) => {
    if (init.method === 'POST' || init.method === 'PATCH') {
      bodies.push({method: init.method, bytes: Buffer.byteLength(init.body ?? '')});
    }
    return realFetch(input, init);
  };
  const rows = {};
  for (let row = 0; row < 10_000; row++) rows[`r${row}`] = {title: `row ${row}`, n: row};
  for (const version of [undefined, 2]) {
    bodies.length = 0;
    const store = createStore();
    const url = `${base}/stores/bodies-${version ?? 0}`;
    const persister = createRemotePersister(store, url, url, 60, (error) => errors.push(error), {
      version,
    });
    await persister.load([{rows}, {}]);
    await persister.startAutoSave();
    await persister.save(); // the full save: a POST
    store.setCell('rows', 'r5000', 'title', 'edited');
    while (bodies.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    await persister.destroy();
    const bytes = (method) => bodies.find((body) => body.method === method)?.bytes;
    console.log(
      `10,000-row document, ${version === undefined ? 'unversioned' : `{version: ${version}}`}: POST body ${bytes('POST')} bytes, one-cell PATCH body ${bytes('PATCH')} bytes`,
    );
  }
  globalThis.fetch = realFetch;
}

console.log(`errors reported: ${errors.length}${errors.length ? ` (first: ${errors[0]})` : ''}`);
await server.close();
await rm(dataDir, {recursive: true, force: true});
