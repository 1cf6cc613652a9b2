// Several instances on one PostgreSQL database, and the world misbehaving:
// the database going away mid-load, an instance killed with SIGKILL mid-load
// (on PostgreSQL, and on files).
// A private cluster is started by this file; each test gets a fresh database.
import {type ChildProcess, execFileSync, spawn} from 'node:child_process';
import {mkdtemp, rm} from 'node:fs/promises';
import {request} from 'node:http';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import pg from 'pg';
import {afterAll, afterEach, beforeAll, expect, it} from 'vitest';
import {createServer, type RemoteServer} from '../src/index';
import {type PrivatePostgres, startPrivatePostgres} from '../src/testing/privatePostgres';
import {freshDatabase, patchJson, send} from './helpers';

const PACKAGE = join(import.meta.dirname, '..');
const BUILD = join(PACKAGE, 'node_modules', '.cache', `instances-test-${process.pid}`);

let postgres: PrivatePostgres;
beforeAll(async () => {
  postgres = await startPrivatePostgres();
  execFileSync(
    'pnpm',
    [
      'exec',
      'tsup',
      'src/start.ts',
      '--format',
      'esm',
      '--target',
      'node20',
      '--silent',
      '--out-dir',
      BUILD,
    ],
    {cwd: PACKAGE, stdio: 'pipe'},
  );
});
afterAll(async () => {
  await postgres?.destroy();
  await rm(BUILD, {recursive: true, force: true});
});

const cleanUps: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});

const startInstance = async (databaseUrl: string, errors: unknown[] = []) => {
  const server: RemoteServer = createServer({databaseUrl, onError: (error) => errors.push(error)});
  const url = await server.listen(0, '127.0.0.1');
  cleanUps.push(() => server.close());
  return {server, url};
};

/** Starts bin/start.js's build as a child process, on `DATABASE_URL` or `DATA_DIR`. */
const startChild = (env: {DATABASE_URL: string} | {DATA_DIR: string}) =>
  new Promise<{child: ChildProcess; url: string}>((resolve, reject) => {
    const child = spawn(process.execPath, [join(BUILD, 'start.js'), '--port', '0'], {
      env: {...process.env, ...env},
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanUps.push(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve({child, url: match[1]!});
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
  });

/** First lines of a change stream. */
const firstEvents = (url: string, count: number) =>
  new Promise<{events: unknown[]; close(): void; ended(): boolean}>((resolve, reject) => {
    const events: unknown[] = [];
    let ended = false;
    const outgoing = request(url, (incoming) => {
      incoming.on('close', () => (ended = true));
      let buffer = '';
      incoming.setEncoding('utf8');
      incoming.on('data', (chunk: string) => {
        buffer += chunk;
        for (const match of buffer.matchAll(/^data: (.*)$/gm)) events.push(JSON.parse(match[1]!));
        buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
        if (events.length >= count)
          resolve({events, close: () => outgoing.destroy(), ended: () => ended});
      });
    });
    outgoing.on('error', reject);
    outgoing.end();
    cleanUps.push(() => outgoing.destroy());
  });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Tally = {
  acknowledged: number;
  attempted: number;
  /** When the last acknowledgement came (performance.now()). */
  acknowledgedAt: number;
  statuses: Map<number | string, number>;
};

/**
 * `writers` clients, each setting its value `w<index>` to 1, 2, 3... in
 * document `<document><index % 3>` (so that writers also race: 412s) with
 * PATCH and If-Match (re-reading after 412), against the instances in turn,
 * until `stop()` is true. A failed request is retried with the next number.
 */
const writeLoad = (
  instances: () => string[],
  document: string,
  writers: number,
  stop: () => boolean,
): {done: Promise<Tally[]>; everyoneAcknowledgedSince(time: number): Promise<void>} => {
  const tallies: Tally[] = [];
  const done = Promise.all(
    Array.from({length: writers}, async (_, index) => {
      const tally: Tally = {acknowledged: 0, attempted: 0, acknowledgedAt: -1, statuses: new Map()};
      tallies[index] = tally;
      const count = (status: number | string) =>
        tally.statuses.set(status, (tally.statuses.get(status) ?? 0) + 1);
      let etag: string | undefined;
      for (let round = 0; !stop(); round++) {
        const urls = instances();
        const url = `${urls[(index + round) % urls.length]}/stores/${document}${index % 3}`;
        try {
          if (etag === undefined) {
            const got = await send(url);
            count(`GET ${got.status}`);
            if (got.status !== 200) {
              await sleep(20);
              continue;
            }
            etag = got.headers.etag;
          }
          const n = ++tally.attempted;
          const answer = await patchJson(url, [{}, {[`w${index}`]: [n]}, 1], {'if-match': etag!});
          count(answer.status);
          if (answer.status === 204) {
            tally.acknowledged = n;
            tally.acknowledgedAt = performance.now();
            etag = answer.headers.etag;
          } else {
            etag = undefined;
            if (answer.status !== 412) await sleep(20);
          }
        } catch {
          count('network');
          etag = undefined;
          await sleep(20);
        }
      }
      return tally;
    }),
  );
  return {
    done,
    // Waits (10 s at most) until every writer had a write acknowledged after `time`.
    everyoneAcknowledgedSince: async (time) => {
      const deadline = performance.now() + 10_000;
      while (
        performance.now() < deadline &&
        (tallies.length < writers || tallies.some((tally) => tally.acknowledgedAt <= time))
      ) {
        await sleep(20);
      }
    },
  };
};

/** The values of the three documents of a load, together. */
const readValues = async (url: string): Promise<Record<string, number>> => {
  const values = {};
  for (const part of [0, 1, 2]) {
    const got = await send(`${url}${part}`);
    expect(got.status).toBe(200);
    Object.assign(values, JSON.parse(got.text)[1]);
  }
  return values;
};

/** The three documents of a load; `padding` bytes in each make every write take longer. */
const createDocuments = async (url: string, padding = 0) => {
  for (const part of [0, 1, 2]) {
    const created = await send(`${url}${part}`, {
      method: 'POST',
      headers: {'content-type': 'application/json'},
      body: JSON.stringify([{}, padding > 0 ? {padding: 'x'.repeat(padding)} : {}]),
    });
    expect(created.status).toBe(204);
  }
};

const expectNothingLost = (values: Record<string, number>, tallies: Tally[]) => {
  tallies.forEach((tally, index) => {
    expect(tally.acknowledged).toBeGreaterThan(0);
    // Acknowledged means committed; a write that failed on the way back may be there too.
    expect(values[`w${index}`]).toBeGreaterThanOrEqual(tally.acknowledged);
    expect(values[`w${index}`]).toBeLessThanOrEqual(tally.attempted);
  });
};

it('two instances on one database: a write through one is streamed and served by the other', async () => {
  const databaseUrl = await freshDatabase(postgres.url);
  const a = await startInstance(databaseUrl);
  const b = await startInstance(databaseUrl);
  const created = await send(`${a.url}/stores/shared`, {
    method: 'POST',
    headers: {'content-type': 'application/json'},
    body: '[{},{"n":0}]',
  });
  expect(created.status).toBe(204);
  const stream = await firstEvents(`${b.url}/stores/shared/events`, 1);
  expect(stream.events[0]).toEqual({etag: created.headers.etag});
  const started = performance.now();
  const patched = await patchJson(`${a.url}/stores/shared`, [{t: {r: {c: [1]}}}, {}, 1], {
    'if-match': created.headers.etag!,
  });
  expect(patched.status).toBe(204);
  while (stream.events.length < 2 && performance.now() - started < 5_000) await sleep(5);
  expect(stream.events[1]).toEqual({
    etag: patched.headers.etag,
    previous: created.headers.etag,
    changes: [{t: {r: {c: [1]}}}, {}, 1],
  });
  const got = await send(`${b.url}/stores/shared`);
  expect(got.headers.etag).toBe(patched.headers.etag);
  expect(JSON.parse(got.text)).toEqual([{t: {r: {c: 1}}}, {n: 0}]);
  // The ETag check cannot race across instances: one of 20 racing writes wins.
  const answers = await Promise.all(
    Array.from({length: 20}, (_, index) =>
      patchJson(`${[a, b][index % 2]!.url}/stores/shared`, [{}, {winner: [index]}, 1], {
        'if-match': patched.headers.etag!,
      }),
    ),
  );
  expect(answers.filter((answer) => answer.status === 204)).toHaveLength(1);
  expect(answers.filter((answer) => answer.status === 412)).toHaveLength(19);
});

it('the database going away mid-load: 503s, event streams end, no acknowledged write is lost', async () => {
  const databaseUrl = await freshDatabase(postgres.url);
  const errors: unknown[] = [];
  const a = await startInstance(databaseUrl, errors);
  const b = await startInstance(databaseUrl, errors);
  await createDocuments(`${a.url}/stores/load`);
  const stream = await firstEvents(`${b.url}/stores/load0/events`, 1);
  let stopped = false;
  const load = writeLoad(
    () => [a.url, b.url],
    'load',
    10,
    () => stopped,
  );
  await load.everyoneAcknowledgedSince(0);
  await postgres.kill();
  await sleep(700);
  // Without its LISTEN connection an instance cannot tell changes: clients must poll.
  expect(stream.ended()).toBe(true);
  await postgres.start();
  // Every writer gets through again once the database is back.
  await load.everyoneAcknowledgedSince(performance.now());
  stopped = true;
  const tallies = await load.done;
  stream.close();
  const statuses = new Map<number | string, number>();
  for (const tally of tallies) {
    for (const [status, count] of tally.statuses)
      statuses.set(status, (statuses.get(status) ?? 0) + count);
  }
  // Refused while the database was away: 503 (never 500, never a 2xx).
  expect(statuses.get(503)).toBeGreaterThan(0);
  expect(statuses.get(500)).toBeUndefined();
  expectNothingLost(await readValues(`${a.url}/stores/load`), tallies);
  expect(errors.length).toBeGreaterThan(0);
});

it('an instance killed with SIGKILL mid-load loses no acknowledged write', async () => {
  const databaseUrl = await freshDatabase(postgres.url);
  const a = await startChild({DATABASE_URL: databaseUrl});
  const b = await startChild({DATABASE_URL: databaseUrl});
  // Big documents: each write takes a while, so that many are on their way at the kill.
  await createDocuments(`${a.url}/stores/killed`, 500_000);
  let alive = [a.url, b.url];
  let stopped = false;
  const load = writeLoad(
    () => alive,
    'killed',
    10,
    () => stopped,
  );
  await load.everyoneAcknowledgedSince(0);
  a.child.kill('SIGKILL');
  await sleep(300);
  alive = [b.url];
  await load.everyoneAcknowledgedSince(performance.now());
  stopped = true;
  const tallies = await load.done;
  expect(a.child.signalCode).toBe('SIGKILL');
  expect(tallies.some((tally) => tally.statuses.has('network'))).toBe(true);
  expectNothingLost(await readValues(`${b.url}/stores/killed`), tallies);
});

it('the file store: an instance killed with SIGKILL mid-load loses no acknowledged write', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'remote-server-killed-'));
  cleanUps.push(() => rm(dataDir, {recursive: true, force: true}));
  const first = await startChild({DATA_DIR: dataDir});
  // Big documents: each write takes a while, so that many are on their way at the kill.
  await createDocuments(`${first.url}/stores/killed`, 500_000);
  let url = first.url;
  let stopped = false;
  const load = writeLoad(
    () => [url],
    'killed',
    10,
    () => stopped,
  );
  await load.everyoneAcknowledgedSince(0);
  first.child.kill('SIGKILL');
  // The same folder, a new process: what it had acknowledged is on disk.
  const second = await startChild({DATA_DIR: dataDir});
  url = second.url;
  await load.everyoneAcknowledgedSince(performance.now());
  stopped = true;
  const tallies = await load.done;
  expect(first.child.signalCode).toBe('SIGKILL');
  expect(tallies.some((tally) => tally.statuses.has('network'))).toBe(true);
  expectNothingLost(await readValues(`${second.url}/stores/killed`), tallies);
});

it('a document stored by hand that is not content: a PATCH is 500 and leaves it as it was', async () => {
  const databaseUrl = await freshDatabase(postgres.url);
  const errors: unknown[] = [];
  const {url} = await startInstance(databaseUrl, errors);
  expect((await send(`${url}/stores/ok`)).status).toBe(404); // creates the table
  const client = new pg.Client({connectionString: databaseUrl});
  await client.connect();
  await client.query(
    `INSERT INTO x_store_documents (id, content, etag, version) VALUES ('bad', '{"not": "content"', '"bad"', 1)`,
  );
  const patched = await patchJson(`${url}/stores/bad`, [{}, {a: [1]}, 1], {'if-match': '"bad"'});
  expect(patched.status).toBe(500);
  const {rows} = await client.query(
    `SELECT content, version FROM x_store_documents WHERE id = 'bad'`,
  );
  await client.end();
  expect(rows).toEqual([{content: '{"not": "content"', version: '1'}]);
  expect(errors.length).toBeGreaterThan(0);
});
