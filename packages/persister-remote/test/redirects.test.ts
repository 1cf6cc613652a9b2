// A save only counts when the server really took it: a redirect (a proxy's or
// an expired session's login page) is a failed save, never followed; a GET
// answering something that is not content is a failed read; the first save to a
// document this client never read creates it only if it does not exist.
import type {IncomingMessage, ServerResponse} from 'node:http';
import {createStore} from '@x/store';
import {describe, expect, it} from 'vitest';
import {createRemotePersister} from '../src/index';
import {startFaultyProxy} from './faultyProxy';
import {
  cleanUpAfterEach,
  FAST_RETRY,
  readRemote,
  sleep,
  startRawServer,
  startReferenceServer,
  waitFor,
  writeRemote,
} from './helpers';

const cleanUps = cleanUpAfterEach();

const LOGIN_PAGE = '<!doctype html><title>Sign in</title><form method="post"></form>';

/** A document server behind a "session" that, while expired, redirects every POST to its login page. */
const startSessionServer = async () => {
  const state = {expired: true, body: '[{"t":{"r":{"c":1}}},{}]', version: 1, posts: 0};
  const server = await startRawServer((request: IncomingMessage, response: ServerResponse) => {
    if (request.url === '/login') {
      response.writeHead(200, {'Content-Type': 'text/html'}).end(LOGIN_PAGE);
      return;
    }
    if (request.method === 'GET') {
      response
        .writeHead(200, {'Content-Type': 'application/json', ETag: `"${state.version}"`})
        .end(state.body);
      return;
    }
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      state.posts++;
      if (state.expired) {
        response.writeHead(302, {Location: '/login'}).end();
        return;
      }
      state.body = body;
      state.version++;
      response.writeHead(204, {ETag: `"${state.version}"`}).end();
    });
  });
  return {server, state};
};

describe('remote saves and reads that only look successful', () => {
  it('reports a save answered by a redirect to a login page, keeps the change pending, and saves it once the server takes it', async () => {
    const {server, state} = await startSessionServer();
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
    store.setCell('t', 'r', 'mine', 'edit');
    await waitFor(() => state.posts >= 3, 3_000, 'a few redirected saves');
    expect(String(errors[0])).toMatch(/was redirected \(302 to \/login\): not saved/);
    // Polls met the unchanged document meanwhile: the pending edit is still in the store.
    expect(store.getContent()).toEqual([{t: {r: {c: 1, mine: 'edit'}}}, {}]);
    expect(JSON.parse(state.body)).toEqual([{t: {r: {c: 1}}}, {}]);
    state.expired = false;
    await waitFor(() => state.body.includes('mine'), 3_000, 'the save after signing in');
    expect(JSON.parse(state.body)).toEqual([{t: {r: {c: 1, mine: 'edit'}}}, {}]);
  });

  it.each([
    ['an HTML login page', 'text/html; charset=utf-8', LOGIN_PAGE],
    ['an HTML page whose body parses as JSON', 'text/html', '[{},{}]'],
    ['an empty 200', 'application/json', ''],
    ['a JSON null', 'application/json', 'null'],
  ])(
    'takes a GET answering %s as a failed read: reported, store kept, nothing written over it',
    async (_name, type, body) => {
      const posts: string[] = [];
      const server = await startRawServer((request, response) => {
        if (request.method === 'POST') {
          posts.push(request.url ?? '');
          response.writeHead(204).end();
          return;
        }
        response.writeHead(200, {'Content-Type': type}).end(body);
      });
      cleanUps.push(() => server.close());
      const errors: unknown[] = [];
      const store = createStore().setTables({keep: {me: {safe: true}}});
      const persister = createRemotePersister(
        store,
        server.url,
        server.url,
        0.05,
        (error) => errors.push(error),
        FAST_RETRY,
      );
      cleanUps.push(() => persister.destroy());
      await persister.startAutoLoad();
      expect(store.getTables()).toEqual({keep: {me: {safe: true}}});
      expect(String(errors[0])).toMatch(/not \[tables, values\] JSON/);
      expect(persister.getStats().saves).toBe(0);
      await sleep(100);
      expect(posts).toEqual([]);
    },
  );

  it('reads a document it never read before its first save, so that another client’s document is not overwritten', async () => {
    const server = await startReferenceServer();
    cleanUps.push(() => server.close());
    const proxy = await startFaultyProxy(server.url);
    cleanUps.push(() => proxy.close());
    const url = `${proxy.url}/stores/doc`;
    // Another client created the document after this one was set up.
    await writeRemote(`${server.url}/stores/doc`, [{pets: {felix: {species: 'cat'}}}, {}]);
    const errors: unknown[] = [];
    const store = createStore();
    const persister = createRemotePersister(
      store,
      url,
      url,
      0.05,
      (error) => errors.push(error),
      FAST_RETRY,
    );
    cleanUps.push(() => persister.destroy());
    store.setRow('pets', 'fido', {species: 'dog'});
    await persister.save();
    // The save read first, put the store on top of what it read, and saved on that version.
    expect(proxy.exchanges[0]?.method).toBe('GET');
    const posts = proxy.exchanges.filter((exchange) => exchange.method === 'POST');
    expect(posts[0]?.headers['if-match']).toMatch(/^"/);
    expect(await readRemote(`${server.url}/stores/doc`)).toEqual([
      {pets: {felix: {species: 'cat'}, fido: {species: 'dog'}}},
      {},
    ]);
    expect(errors).toEqual([]);
  });
});
