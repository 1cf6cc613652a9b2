#!/usr/bin/env node
// The remote backend at scale, measured (nothing asserted): request bytes of a
// one-cell save on a 10,000-row document (POST before, PATCH now), change
// propagation latency over the event stream, PATCH throughput (file store,
// PostgreSQL, two instances on PostgreSQL) and server memory with 10,000
// documents opened once. PostgreSQL is a private cluster started here.
// Usage: pnpm --filter remote-server bench:scale [seconds]
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {request as httpRequest} from 'node:http';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Pool} from 'undici';
import {changesToJson, createServer} from '../dist/index.js';
import {startPrivatePostgres} from '../dist/testing.js';

const seconds = Number(process.argv[2] ?? 3);
const CLIENTS = 50;
const folders = [];
const servers = [];
const postgres = await startPrivatePostgres();

const fileServer = async (options = {}) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'remote-server-scale-'));
  folders.push(dataDir);
  return start({dataDir, ...options});
};
const start = async (options) => {
  const server = createServer({...options, onError: () => {}});
  const url = await server.listen(0, '127.0.0.1');
  // Every byte clients send, headers included.
  const counter = {bytes: 0};
  server.httpServer.on('connection', (socket) =>
    socket.on('data', (chunk) => (counter.bytes += chunk.length)),
  );
  servers.push(server);
  return {server, url, counter};
};

const send = async (pool, path, method, body, headers = {}) => {
  const answer = await pool.request({path, method, headers, body});
  await answer.body.text();
  return answer;
};
const post = (pool, path, content, headers = {}) =>
  send(pool, path, 'POST', JSON.stringify(content), {
    'content-type': 'application/json',
    ...headers,
  });
const patch = (pool, path, changes, etag) =>
  send(pool, path, 'PATCH', changesToJson(changes), {
    'content-type': 'application/x-store-changes+json',
    'if-match': etag,
  });

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

console.log(
  `remote-server at scale, node ${process.version}, ${seconds} s per throughput scenario`,
);

// 1. Bytes of a one-cell save of a 10,000-row document.
{
  const {url, counter} = await fileServer({bodyLimitBytes: 64 * 1024 * 1024});
  const pool = new Pool(url, {connections: 1});
  const rows = {};
  for (let row = 0; row < 10_000; row++) rows[`r${row}`] = {title: `row ${row}`, done: false};
  const content = [{todos: rows}, {}];
  let etag = (await post(pool, '/stores/big', content)).headers.etag;
  content[0].todos.r5000.done = true;
  counter.bytes = 0;
  etag = (await post(pool, '/stores/big', content, {'if-match': etag})).headers.etag;
  const before = counter.bytes;
  counter.bytes = 0;
  await patch(pool, '/stores/big', [{todos: {r5000: {done: false}}}, {}, 1], etag);
  const after = counter.bytes;
  console.log(
    `one-cell save, 10,000 rows: POST ${before.toLocaleString('en')} bytes, PATCH ${after} bytes (request line, headers and body)`,
  );
  await pool.close();
}

// 2. Change propagation: PATCH on one connection, the event on a stream.
const propagation = async (writeUrl, streamUrl, label) => {
  const pool = new Pool(writeUrl, {connections: 1});
  let etag = (await post(pool, '/stores/latency', [{}, {n: 0}])).headers.etag;
  let waiting;
  const stream = httpRequest(`${streamUrl}/stores/latency/events`, (incoming) => {
    incoming.setEncoding('utf8');
    incoming.on('data', (chunk) => {
      for (const match of chunk.matchAll(/^data: (.*)$/gm)) {
        const event = JSON.parse(match[1]);
        if (waiting && event.etag === waiting.etag) waiting.resolve();
        else if (waiting && waiting.etag === undefined) waiting.early = event.etag;
      }
    });
  });
  stream.end();
  await new Promise((resolve) => setTimeout(resolve, 200));
  const times = [];
  for (let edit = 1; edit <= 100; edit++) {
    const started = performance.now();
    const arrived = new Promise((resolve) => {
      waiting = {resolve, etag: undefined, early: undefined};
    });
    const answer = await patch(pool, '/stores/latency', [{}, {n: edit}, 1], etag);
    etag = answer.headers.etag;
    if (waiting.early === etag) waiting.resolve();
    waiting.etag = etag;
    await arrived;
    times.push(performance.now() - started);
  }
  stream.destroy();
  await pool.close();
  console.log(
    `change propagation, ${label}: median ${median(times).toFixed(1)} ms over 100 edits (PATCH sent to event received; max ${Math.max(...times).toFixed(1)} ms)`,
  );
};

// 3. PATCH throughput: 50 clients, one document each, If-Match on their own ETags.
const throughput = async (urls, label) => {
  const pools = urls.map((url) => new Pool(url, {connections: CLIENTS}));
  const etags = [];
  for (let index = 0; index < CLIENTS; index++) {
    const pool = pools[index % pools.length];
    etags[index] = (
      await post(pool, `/stores/client${index}`, [{t: {r: {n: 0}}}, {}])
    ).headers.etag;
  }
  let done = 0;
  let other = 0;
  const until = Date.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({length: CLIENTS}, async (_, index) => {
      const pool = pools[index % pools.length];
      for (let n = 1; Date.now() < until; n++) {
        const answer = await patch(
          pool,
          `/stores/client${index}`,
          [{t: {r: {n}}}, {}, 1],
          etags[index],
        );
        if (answer.statusCode === 204) {
          done++;
          etags[index] = answer.headers.etag;
        } else other++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  console.log(
    `PATCH throughput, ${label}: ${Math.round(done / elapsed)} writes/s (${done} ok, ${other} other, ${CLIENTS} clients)`,
  );
  await Promise.all(pools.map((pool) => pool.close()));
};

{
  const files = await fileServer();
  await propagation(files.url, files.url, 'one instance, file store');
  await throughput([files.url], 'one instance, file store');
  const database = `${postgres.url.replace(/\/postgres$/, '')}/postgres`;
  const a = await start({databaseUrl: database});
  await propagation(a.url, a.url, 'one instance, PostgreSQL');
  await throughput([a.url], 'one instance, PostgreSQL');
  const b = await start({databaseUrl: database});
  await propagation(a.url, b.url, 'written through A, heard through B (PostgreSQL NOTIFY)');
  await throughput([a.url, b.url], 'two instances, PostgreSQL');
}

// 4. Memory with 10,000 documents opened once (about 2 KB of JSON each).
const memory = () => {
  global.gc?.();
  const {rss, heapUsed} = process.memoryUsage();
  return `heap ${(heapUsed / 2 ** 20).toFixed(0)} MiB, rss ${(rss / 2 ** 20).toFixed(0)} MiB`;
};
const openAll = async (url, label) => {
  const pool = new Pool(url, {connections: 20});
  const before = memory();
  for (let batch = 0; batch < 10_000; batch += 100) {
    await Promise.all(
      Array.from({length: 100}, (_, offset) => send(pool, `/stores/m${batch + offset}`, 'GET')),
    );
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
  console.log(`10,000 documents opened once, ${label}: ${memory()} (before: ${before})`);
  await pool.close();
};
{
  const document = JSON.stringify([
    {
      items: Object.fromEntries(
        Array.from({length: 20}, (_, row) => [`r${row}`, {text: 'x'.repeat(80), n: row}]),
      ),
    },
    {},
  ]);
  const dataDir = await mkdtemp(join(tmpdir(), 'remote-server-memory-'));
  folders.push(dataDir);
  for (let index = 0; index < 10_000; index++)
    await writeFile(join(dataDir, `m${index}.json`), document);
  for (const [label, cache] of [
    ['file store, default cache (1,000 documents)', {}],
    ['file store, unbounded (as before)', {maxDocuments: 1e9, maxBytes: 1e12}],
  ]) {
    const {server, url} = await start({dataDir, cache});
    await openAll(url, label);
    await server.close();
    servers.splice(servers.indexOf(server), 1);
  }
  const database = `${postgres.url.replace(/\/postgres$/, '')}/postgres`;
  const loader = await start({databaseUrl: database});
  const pool = new Pool(loader.url, {connections: 20});
  for (let batch = 0; batch < 10_000; batch += 100) {
    await Promise.all(
      Array.from({length: 100}, (_, offset) =>
        send(pool, `/stores/m${batch + offset}`, 'POST', document, {
          'content-type': 'application/json',
        }),
      ),
    );
  }
  await pool.close();
  await loader.server.close();
  servers.splice(servers.indexOf(loader.server), 1);
  const {url} = await start({databaseUrl: database});
  await openAll(url, 'PostgreSQL (read on demand)');
}

for (const server of servers) await server.close();
await postgres.destroy();
for (const folder of folders) await rm(folder, {recursive: true, force: true});
