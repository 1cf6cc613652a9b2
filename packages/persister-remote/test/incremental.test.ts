// Incremental saves: PATCH with the net changes when the server offers it,
// POST exactly as before when it does not. Real servers on 127.0.0.1, seen
// through a recording proxy.
import {type Content, createStore} from '@x/store';
import {expect, it} from 'vitest';
import {createRemotePersister} from '../src/index';
import {startFaultyProxy} from './faultyProxy';
import {
  cleanUpAfterEach,
  FAST_RETRY,
  readRemote,
  startRawServer,
  startReferenceServer,
  waitFor,
  writeRemote,
} from './helpers';

const cleanUps = cleanUpAfterEach();

const reference = async () => {
  const server = await startReferenceServer({bodyLimitBytes: 10 * 1024 * 1024});
  cleanUps.push(() => server.close());
  const proxy = await startFaultyProxy(server.url);
  cleanUps.push(() => proxy.close());
  return {proxy, direct: `${server.url}/stores/doc`, url: `${proxy.url}/stores/doc`};
};

const persisterFor = (url: string, errors: unknown[], options = {}) => {
  const store = createStore();
  const persister = createRemotePersister(store, url, url, 60, (error) => errors.push(error), {
    ...FAST_RETRY,
    ...options,
  });
  cleanUps.push(() => persister.destroy());
  return {store, persister};
};

const bigDocument = (): Content => {
  const rows: Content[0][string] = {};
  for (let row = 0; row < 10_000; row++) rows[`r${row}`] = {title: `row ${row}`, n: row};
  return [{rows}, {}];
};

it('saves a one-cell edit of a 10,000-row document as a PATCH under 1 KB', async () => {
  const {proxy, direct, url} = await reference();
  await writeRemote(direct, bigDocument());
  const errors: unknown[] = [];
  const {store, persister} = persisterFor(url, errors);
  await persister.startAutoPersisting();
  expect(store.getRowCount('rows')).toBe(10_000);
  store.setCell('rows', 'r5000', 'title', 'edited');
  await waitFor(
    () => proxy.exchanges.some((exchange) => exchange.status === 204),
    5_000,
    'the autosave',
  );
  expect(proxy.exchanges.some((exchange) => exchange.method === 'POST')).toBe(false);
  const patches = proxy.exchanges.filter((exchange) => exchange.method === 'PATCH');
  expect(patches).toHaveLength(1);
  const [patch] = patches;
  expect(patch!.status).toBe(204);
  expect(patch!.headers['content-type']).toBe('application/x-store-changes+json');
  expect(patch!.headers['if-match']).toMatch(/^"[\w-]{43}"$/);
  expect(patch!.body).toBe('[{"rows":{"r5000":{"title":["edited"]}}},{},1]');
  const requestBytes =
    Buffer.byteLength(patch!.body) +
    Object.entries(patch!.headers).reduce(
      (sum, [name, value]) => sum + name.length + String(value).length + 4,
      0,
    );
  expect(requestBytes).toBeLessThan(1_024);
  expect((await readRemote(direct))![0].rows!.r5000).toEqual({title: 'edited', n: 5000});
  expect(errors).toEqual([]);
});

it('sends deletions of cells, rows, tables and values, and null cells, as a PATCH', async () => {
  const {proxy, direct, url} = await reference();
  await writeRemote(direct, [
    {t: {r1: {a: 1, b: 2}, r2: {a: 3}}, gone: {r: {x: 1}}},
    {keep: 1, drop: 2},
  ]);
  const errors: unknown[] = [];
  const {store, persister} = persisterFor(url, errors);
  await persister.startAutoPersisting();
  store.transaction(() => {
    store.delCell('t', 'r1', 'b');
    store.delRow('t', 'r2');
    store.delTable('gone');
    store.delValue('drop');
    store.setCell('t', 'r3', 'n', null);
  });
  await waitFor(
    () => proxy.exchanges.some((exchange) => exchange.status === 204),
    5_000,
    'the autosave',
  );
  expect(proxy.exchanges.filter((exchange) => exchange.method === 'PATCH')).toHaveLength(1);
  expect(proxy.exchanges.some((exchange) => exchange.method === 'POST')).toBe(false);
  expect(await readRemote(direct)).toEqual([{t: {r1: {a: 1}, r3: {n: null}}}, {keep: 1}]);
  expect(store.getContent()).toEqual(await readRemote(direct));
  expect(errors).toEqual([]);
});

it('saves changes that touch __proto__ as a full POST (the server refuses such patches)', async () => {
  const {proxy, direct, url} = await reference();
  await writeRemote(direct, [{}, {a: 1}]);
  const errors: unknown[] = [];
  const {store, persister} = persisterFor(url, errors);
  await persister.startAutoPersisting();
  const saved = (count: number) => () =>
    proxy.exchanges.filter((exchange) => exchange.status === 204).length >= count;
  store.setCell('__proto__', 'r', 'c', 1);
  await waitFor(saved(1), 5_000, 'the first autosave');
  store.setValue('b', 2);
  await waitFor(saved(2), 5_000, 'the second autosave');
  const writes = proxy.exchanges.filter((exchange) => exchange.method !== 'GET');
  expect(writes.map((exchange) => `${exchange.method} ${exchange.status}`)).toEqual([
    'POST 204',
    'PATCH 204',
  ]);
  const stored = await readRemote(direct);
  expect(stored).toEqual(JSON.parse('[{"__proto__":{"r":{"c":1}}},{"a":1,"b":2}]'));
  expect(errors).toEqual([]);
});

it('a server that does not advertise PATCH (TinyBase-style) gets POSTs, and polls', async () => {
  let body = '[{"t":{"r":{"c":1}}},{}]';
  let version = 1;
  const seen: string[] = [];
  const server = await startRawServer((request, response) => {
    seen.push(`${request.method} ${request.url}`);
    if (request.method === 'POST') {
      let text = '';
      request.on('data', (chunk) => (text += chunk));
      request.on('end', () => {
        body = text;
        version++;
        response.writeHead(204, {ETag: `"v${version}"`}).end();
      });
      return;
    }
    response.writeHead(200, {'Content-Type': 'application/json', ETag: `"v${version}"`}).end(body);
  });
  cleanUps.push(() => server.close());
  const errors: unknown[] = [];
  const store = createStore();
  const persister = createRemotePersister(
    store,
    `${server.url}/doc`,
    `${server.url}/doc`,
    0.05,
    (error) => errors.push(error),
    FAST_RETRY,
  );
  cleanUps.push(() => persister.destroy());
  await persister.startAutoPersisting();
  store.setCell('t', 'r', 'd', 2);
  await persister.save();
  await waitFor(() => seen.filter((line) => line === 'GET /doc').length >= 3, 3_000, 'polls');
  expect(JSON.parse(body)).toEqual([{t: {r: {c: 1, d: 2}}}, {}]);
  expect(seen.every((line) => line === 'GET /doc' || line === 'POST /doc')).toBe(true);
  expect(seen).toContain('POST /doc');
  expect(errors).toEqual([]);
});

it('falls back to POST when the server stops taking patches (415)', async () => {
  let body = '[{},{"a":1}]';
  let version = 1;
  const seen: string[] = [];
  const server = await startRawServer((request, response) => {
    seen.push(`${request.method} ${request.headers['if-match'] ?? ''}`);
    let text = '';
    request.on('data', (chunk) => (text += chunk));
    request.on('end', () => {
      if (request.method === 'PATCH') {
        response.writeHead(415, {'Content-Type': 'text/plain'}).end('no patches here');
        return;
      }
      if (request.method === 'POST') {
        body = text;
        version++;
        response.writeHead(204, {ETag: `"v${version}"`}).end();
        return;
      }
      response
        .writeHead(200, {
          'Content-Type': 'application/json',
          ETag: `"v${version}"`,
          // Only the first answer says so: the server changed its mind.
          ...(version === 1 ? {'Accept-Patch': 'application/x-store-changes+json'} : {}),
        })
        .end(body);
    });
  });
  cleanUps.push(() => server.close());
  const errors: unknown[] = [];
  const store = createStore();
  const persister = createRemotePersister(
    store,
    `${server.url}/doc`,
    `${server.url}/doc`,
    60,
    (error) => errors.push(error),
    FAST_RETRY,
  );
  cleanUps.push(() => persister.destroy());
  await persister.startAutoPersisting();
  store.setValue('b', 2);
  await waitFor(() => JSON.parse(body)[1].b === 2, 3_000, 'the change to arrive by POST');
  expect(seen).toEqual(['GET ', 'PATCH "v1"', 'POST "v1"']);
  expect(errors.map(String)).toEqual([expect.stringMatching(/PATCH .* answered 415/)]);
});
