#!/usr/bin/env node
// Throughput of the reference server on this machine, 50 concurrent clients
// over loopback (undici pools). Prints requests per second per scenario;
// nothing is asserted. Usage: pnpm --filter remote-server bench [seconds]
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Pool} from 'undici';
import {createServer} from '../dist/index.js';

const seconds = Number(process.argv[2] ?? 3);
const CLIENTS = 50;
const dataDir = await mkdtemp(join(tmpdir(), 'remote-server-bench-'));
const server = createServer({dataDir});
const url = await server.listen(0, '127.0.0.1');
const pool = new Pool(url, {connections: CLIENTS});

const content = (client, n) => [{rows: {[`r${n % 20}`]: {client, n, text: 'x'.repeat(100)}}}, {n}];

const run = async (name, client) => {
  let done = 0;
  let failed = 0;
  const until = Date.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({length: CLIENTS}, async (_, index) => {
      for (let n = 0; Date.now() < until; n++) {
        if (await client(index, n)) done++;
        else failed++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  console.log(
    `${name.padEnd(46)} ${String(Math.round(done / elapsed)).padStart(6)} req/s  (${done} ok, ${failed} other, ${elapsed.toFixed(1)} s)`,
  );
};

const post = async (path, body, headers = {}) => {
  const answer = await pool.request({
    path,
    method: 'POST',
    headers: {'content-type': 'application/json', ...headers},
    body: JSON.stringify(body),
  });
  await answer.body.dump();
  return answer;
};

console.log(
  `remote-server throughput, ${CLIENTS} clients, ${seconds} s each, node ${process.version}`,
);
await run('POST, one document per client (fsync each)', async (index, n) => {
  return (await post(`/stores/client${index}`, content(index, n))).statusCode === 204;
});

const etags = [];
for (let index = 0; index < CLIENTS; index++) {
  etags[index] = (await post(`/stores/client${index}`, content(index, 0))).headers.etag;
}
await run('GET with If-None-Match (304)', async (index) => {
  const answer = await pool.request({
    path: `/stores/client${index}`,
    method: 'GET',
    headers: {'if-none-match': etags[index]},
  });
  await answer.body.dump();
  return answer.statusCode === 304;
});
await run('GET, full body (200)', async (index) => {
  const answer = await pool.request({path: `/stores/client${index}`, method: 'GET'});
  await answer.body.text();
  return answer.statusCode === 200;
});

let shared = (await post('/stores/shared', content(-1, 0))).headers.etag;
await run('POST If-Match, all on one document (412 = other)', async (index, n) => {
  const answer = await post('/stores/shared', content(index, n), {'if-match': shared});
  if (answer.statusCode === 204) shared = answer.headers.etag;
  else if (answer.statusCode === 412) shared = answer.headers.etag ?? shared;
  return answer.statusCode === 204;
});

await pool.close();
await server.close();
await rm(dataDir, {recursive: true, force: true});
