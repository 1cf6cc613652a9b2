// What the client sends and how it reads answers, seen through a recording
// proxy in front of the reference server, and against raw servers for the
// answers the reference server never gives.
import {createStore} from '@x/store';
import {describe, expect, it, vi} from 'vitest';
import {createRemotePersister} from '../src/index';
import {type FaultyProxy, startFaultyProxy} from './faultyProxy';
import {
  cleanUpAfterEach,
  FAST_RETRY,
  type RawServer,
  type ReferenceServer,
  readRemote,
  sleep,
  startRawServer,
  startReferenceServer,
  waitFor,
  writeRemote,
} from './helpers';

const cleanUps = cleanUpAfterEach();

const reference = async (options = {}) => {
  const server: ReferenceServer = await startReferenceServer(options);
  cleanUps.push(() => server.close());
  const proxy: FaultyProxy = await startFaultyProxy(server.url);
  cleanUps.push(() => proxy.close());
  return {server, proxy, direct: `${server.url}/stores/doc`, url: `${proxy.url}/stores/doc`};
};

const raw = async (handler: Parameters<typeof startRawServer>[0]) => {
  const server: RawServer = await startRawServer(handler);
  cleanUps.push(() => server.close());
  return server;
};

const persisterFor = (url: string, errors: unknown[], interval = 0.05, options = {}) => {
  const store = createStore();
  const persister = createRemotePersister(
    store,
    url,
    url,
    interval,
    (error) => errors.push(error),
    {
      ...FAST_RETRY,
      ...options,
    },
  );
  cleanUps.push(() => persister.destroy());
  return {store, persister};
};

describe('createRemotePersister', () => {
  it('tells its URLs', () => {
    const persister = createRemotePersister(createStore(), 'http://a/load', 'http://a/save');
    expect(persister.getUrls()).toEqual(['http://a/load', 'http://a/save']);
  });

  it('refuses an interval that is not a positive number', () => {
    expect(() => createRemotePersister(createStore(), 'http://a', 'http://a', 0)).toThrow(
      /autoLoadIntervalSeconds/,
    );
    expect(() => createRemotePersister(createStore(), 'http://a', 'http://a', Number.NaN)).toThrow(
      TypeError,
    );
  });

  it('creates a missing document with If-None-Match: *, then writes with If-Match', async () => {
    const {proxy, direct, url} = await reference();
    const errors: unknown[] = [];
    const {store, persister} = persisterFor(url, errors);
    await persister.load([{pets: {fido: {species: 'dog'}}}, {}]);
    expect(store.getContent()).toEqual([{pets: {fido: {species: 'dog'}}}, {}]);
    await persister.save();
    store.setValue('open', true);
    await persister.save();
    const posts = proxy.exchanges.filter((exchange) => exchange.method === 'POST');
    expect(posts).toHaveLength(2);
    expect(posts[0]!.headers['if-none-match']).toBe('*');
    expect(posts[0]!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(posts[0]!.body)).toEqual([{pets: {fido: {species: 'dog'}}}, {}]);
    expect(posts[1]!.headers['if-match']).toMatch(/^"/);
    expect(await readRemote(direct)).toEqual([{pets: {fido: {species: 'dog'}}}, {open: true}]);
    expect(errors).toEqual([]);
  });

  it('reloads with If-None-Match; a 304 gives back the content it last saw', async () => {
    const {proxy, url, direct} = await reference();
    await writeRemote(direct, [{t: {r: {c: 1}}}, {}]);
    const errors: unknown[] = [];
    const {store, persister} = persisterFor(url, errors);
    await persister.load();
    expect(store.getContent()).toEqual([{t: {r: {c: 1}}}, {}]);
    store.setCell('t', 'r', 'c', 2); // a local change, not saved
    await persister.load();
    const gets = proxy.exchanges.filter((exchange) => exchange.method === 'GET');
    expect(gets).toHaveLength(2);
    expect(gets[0]!.headers['if-none-match']).toBeUndefined();
    expect(gets[1]!.headers['if-none-match']).toMatch(/^"/);
    expect(gets[1]!.status).toBe(304);
    // The 304 stands for the cached content, which the load applied again, with the
    // unsaved local change put back on top (a load never discards unsaved changes).
    expect(store.getContent()).toEqual([{t: {r: {c: 2}}}, {}]);
    expect(errors).toEqual([]);
  });

  it('sends its headers (a bearer token) with every request', async () => {
    const {url, direct} = await reference({token: 'k3y'});
    const errors: unknown[] = [];
    const {store, persister} = persisterFor(url, errors, 0.05, {
      headers: () => ({Authorization: 'Bearer k3y'}),
    });
    await persister.load([{}, {a: 1}]);
    await persister.save();
    expect(store.getContent()).toEqual([{}, {a: 1}]);
    expect(await readRemote(direct, 'k3y')).toEqual([{}, {a: 1}]);
    expect(errors).toEqual([]);
  });

  it('on 412 reloads, re-applies its unsaved changes and saves again', async () => {
    const {proxy, url, direct} = await reference();
    await writeRemote(direct, [{notes: {n1: {text: 'one'}}}, {}]);
    const errors: unknown[] = [];
    const {store, persister} = persisterFor(url, errors);
    await persister.load();
    await writeRemote(direct, [{notes: {n1: {text: 'one'}, n2: {text: 'two'}}}, {}]);
    store.setCell('notes', 'n3', 'text', 'three');
    await persister.save();
    await waitFor(
      async () => (await readRemote(direct))?.[0].notes?.n3 !== undefined,
      3_000,
      'the retried save',
    );
    const expected = [{notes: {n1: {text: 'one'}, n2: {text: 'two'}, n3: {text: 'three'}}}, {}];
    expect(await readRemote(direct)).toEqual(expected);
    expect(store.getContent()).toEqual(expected);
    expect(proxy.exchanges.some((exchange) => exchange.status === 412)).toBe(true);
    expect(errors).toEqual([]);
  });

  it('when the reload after a 412 fails, the next poll makes the core read again and save', async () => {
    const {proxy, url, direct} = await reference();
    await writeRemote(direct, [{}, {a: 1}]);
    const errors: unknown[] = [];
    // The first poll comes 300 ms after the start, well after the conflict
    // (no change stream: it would tell the other write before the save).
    const {store, persister} = persisterFor(url, errors, 0.3, {changeStream: false});
    await persister.startAutoPersisting();
    await writeRemote(direct, [{}, {a: 1, b: 2}]);
    proxy.failNextGets(1);
    store.setValue('c', 3);
    const outcomes = () =>
      proxy.exchanges.map((exchange) => `${exchange.method} ${exchange.status}`);
    await waitFor(() => outcomes().includes('PATCH 204'), 3_000, 'the change to reach the server');
    // Incremental saves: PATCH, since the reference server takes them.
    expect(outcomes()).toEqual(['GET 200', 'PATCH 412', 'GET undefined', 'GET 200', 'PATCH 204']);
    expect(await readRemote(direct)).toEqual([{}, {a: 1, b: 2, c: 3}]);
    expect(store.getContent()).toEqual([{}, {a: 1, b: 2, c: 3}]);
    expect(errors.map(String)).toEqual([expect.stringMatching(/answered 503/)]);
  });

  it('autoload polls one request at a time and applies only changes', async () => {
    let open = 0;
    let mostOpen = 0;
    let gets = 0;
    let body = '[{},{"v":1}]';
    const server = await raw((_request, response) => {
      gets++;
      open++;
      mostOpen = Math.max(mostOpen, open);
      setTimeout(() => {
        open--;
        response.writeHead(200, {'Content-Type': 'application/json', ETag: `"${body.length}"`});
        response.end(body);
      }, 60);
    });
    const errors: unknown[] = [];
    const {store, persister} = persisterFor(server.url, errors, 0.01);
    let changes = 0;
    store.addValuesListener(() => changes++);
    await persister.startAutoLoad();
    expect(store.getValues()).toEqual({v: 1});
    // A local change that a needless re-apply of the same content would undo.
    store.setValue('local', true);
    await waitFor(() => gets >= 6, 3_000, 'six polls');
    expect(store.getValues()).toEqual({v: 1, local: true});
    body = '[{},{"v":22}]';
    await waitFor(() => store.getValue('v') === 22, 3_000, 'the change');
    persister.stopAutoLoad();
    expect(mostOpen).toBe(1);
    expect(changes).toBe(3);
    expect(errors).toEqual([]);
  });

  it('without ETags, autoload detects a change by content', async () => {
    let body = '[{"t":{"r":{"c":1}}},{}]';
    const server = await raw((_request, response) => {
      response.writeHead(200, {'Content-Type': 'application/json'}).end(body);
    });
    const errors: unknown[] = [];
    const {store, persister} = persisterFor(server.url, errors, 0.02);
    await persister.startAutoLoad();
    expect(store.getCell('t', 'r', 'c')).toBe(1);
    store.setValue('local', true);
    // Same content, other spacing: not a change, so the local change stays.
    body = '[ {"t": {"r": {"c": 1}}}, {} ]';
    await sleep(150);
    expect(store.getValues()).toEqual({local: true});
    body = '[{"t":{"r":{"c":2}}},{}]';
    await waitFor(() => store.getCell('t', 'r', 'c') === 2, 3_000, 'the change');
    expect(errors).toEqual([]);
  });

  it.each([
    ['not JSON', 'this is not json'],
    ['JSON of the wrong shape', '{"tables":{}}'],
    ['an invalid row', '[{"t":{"r":[1]}},{}]'],
  ])('reports a 200 answer with %s, and leaves the store alone', async (_name, body) => {
    const server = await raw((_request, response) => {
      response.writeHead(200, {'Content-Type': 'application/json', ETag: '"x"'}).end(body);
    });
    const errors: unknown[] = [];
    const {store, persister} = persisterFor(server.url, errors);
    store.setContent([{keep: {me: {safe: true}}}, {}]);
    await persister.load();
    expect(store.getContent()).toEqual([{keep: {me: {safe: true}}}, {}]);
    expect(errors.length).toBeGreaterThan(0);
    expect(String(errors[0])).toMatch(/not \[tables, values\] JSON/);
  });

  it('reports a 500 and a refused connection, and leaves the store alone', async () => {
    const server = await raw((_request, response) => {
      response.writeHead(500).end('disk on fire');
    });
    const errors: unknown[] = [];
    const {store, persister} = persisterFor(server.url, errors);
    store.setValue('kept', 1);
    await persister.load();
    expect(String(errors[0])).toMatch(/answered 500: disk on fire/);
    const closed = persisterFor('http://127.0.0.1:1/stores/x', errors);
    closed.store.setValue('kept', 2);
    await closed.persister.load();
    expect(String(errors.at(-1))).toMatch(/GET http:\/\/127\.0\.0\.1:1\/stores\/x failed/);
    expect(store.getValues()).toEqual({kept: 1});
    expect(closed.store.getValues()).toEqual({kept: 2});
  });

  it('times a request out', async () => {
    const server = await raw(() => {
      // never answers
    });
    const errors: unknown[] = [];
    const {persister} = persisterFor(server.url, errors, 0.05, {requestTimeoutMs: 100});
    await persister.load();
    expect(String(errors[0])).toMatch(/timed out after 100 ms/);
  });

  it('stopAutoLoad and destroy abort the poll in flight', async () => {
    let first = true;
    const aborted: string[] = [];
    const hanging: string[] = [];
    const server = await raw((_request, response) => {
      if (first) {
        first = false;
        response.writeHead(200, {'Content-Type': 'application/json'}).end('[{},{}]');
        return;
      }
      const name = String(hanging.length);
      hanging.push(name);
      response.on('close', () => aborted.push(name));
    });
    const errors: unknown[] = [];
    const {persister} = persisterFor(server.url, errors, 0.02);
    await persister.startAutoLoad();
    await waitFor(() => hanging.length === 1, 3_000, 'a poll');
    persister.stopAutoLoad();
    await waitFor(() => aborted.length === 1, 3_000, 'the abort');
    first = true;
    await persister.startAutoLoad();
    await waitFor(() => hanging.length === 2, 3_000, 'a second poll');
    await persister.destroy();
    await waitFor(() => aborted.length === 2, 3_000, 'the abort by destroy');
    expect(errors).toEqual([]);
  });
});

describe('an onIgnoredError that throws', () => {
  it('neither stops polling nor escapes as an unhandled rejection', async () => {
    // Answers the first read, then fails every poll with a 500.
    let requests = 0;
    const server = await raw((_request, response) => {
      requests++;
      if (requests === 1) {
        response.writeHead(200, {'Content-Type': 'application/json', ETag: '"v1"'});
        response.end('[{},{}]');
      } else {
        response.writeHead(500).end();
      }
    });
    const url = `${server.url}/stores/doc`;
    const heard: unknown[] = [];
    // The handler's own error goes to console.error: captured here, so that a
    // passing run prints no stack trace that reads like a failure.
    const printed: unknown[] = [];
    const consoleError = vi.spyOn(console, 'error').mockImplementation((error) => {
      printed.push(error);
    });
    cleanUps.push(async () => consoleError.mockRestore());
    const persister = createRemotePersister(createStore(), url, url, 0.02, (error) => {
      heard.push(error);
      throw new Error('the app error handler is broken');
    });
    cleanUps.push(() => persister.destroy());
    await persister.startAutoLoad();
    // Each failed poll reached the handler, and polling went on after it threw
    // (vitest fails the run on any unhandled rejection).
    await waitFor(() => heard.length >= 3, 3_000, 'three reported poll failures');
    expect(requests).toBeGreaterThanOrEqual(4);
    expect(printed.length).toBeGreaterThanOrEqual(3);
    expect(
      printed.every((error) => (error as Error).message === 'the app error handler is broken'),
    ).toBe(true);
  });
});
