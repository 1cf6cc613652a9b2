// The same user code against TinyBase 10's remote persister and ours, on a
// real HTTP server on 127.0.0.1 that keeps one document and records what it
// is sent: the request a save makes, reading each other's document, a server
// error, and (a deliberate difference) a second writer in between.
import type {IncomingMessage} from 'node:http';
import {createStore} from '@x/store';
import {createStore as createTinyBaseStore} from 'tinybase';
import {createRemotePersister as createTinyBaseRemotePersister} from 'tinybase/persisters/persister-remote';
import {afterEach, describe, expect, it} from 'vitest';
import {createRemotePersister} from '../src/index';
import {type RawServer, startRawServer} from './helpers';

const TABLES = {pets: {fido: {species: 'dog', legs: 4}, 'felix.cat': {sold: false}}};
const VALUES = {open: true, owner: 'Ada'};

const servers: RawServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

const bodyOf = (request: IncomingMessage): Promise<string> =>
  new Promise((resolve) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => resolve(body));
  });

/** One document, versioned by a strong ETag; `fail` answers 500 to everything. */
const documentServer = async (initial?: string) => {
  const state = {
    body: initial,
    version: 1,
    fail: false,
    posts: [] as {contentType: string | undefined; body: string}[],
  };
  const server = await startRawServer(async (request, response) => {
    if (state.fail) return void response.writeHead(500).end('down');
    const etag = `"${state.version}"`;
    if (request.method === 'POST') {
      const body = await bodyOf(request);
      state.posts.push({contentType: request.headers['content-type'], body});
      const ifMatch = request.headers['if-match'];
      if (ifMatch !== undefined && ifMatch !== etag) return void response.writeHead(412).end();
      state.body = body;
      state.version++;
      return void response.writeHead(200, {ETag: `"${state.version}"`}).end();
    }
    if (state.body === undefined) return void response.writeHead(404).end();
    if (request.headers['if-none-match'] === etag) return void response.writeHead(304).end();
    response.writeHead(200, {'Content-Type': 'application/json', ETag: etag});
    response.end(request.method === 'HEAD' ? undefined : state.body);
  });
  servers.push(server);
  return {state, url: `${server.url}/doc`};
};

describe('TinyBase 10 and @x remote persisters side by side', () => {
  it('save() POSTs the same JSON body', async () => {
    const tinybaseServer = await documentServer();
    const tinybase = createTinyBaseRemotePersister(
      createTinyBaseStore().setTables(TABLES).setValues(VALUES),
      tinybaseServer.url,
      tinybaseServer.url,
    );
    await tinybase.save();
    await tinybase.destroy();
    const xServer = await documentServer();
    const persister = createRemotePersister(
      createStore().setTables(TABLES).setValues(VALUES),
      xServer.url,
      xServer.url,
    );
    await persister.save();
    await persister.destroy();
    expect(xServer.state.posts).toEqual(tinybaseServer.state.posts);
    expect(JSON.parse(xServer.state.body!)).toEqual([TABLES, VALUES]);
  });

  it('each loads the document the other saved', async () => {
    const {url} = await documentServer();
    const tinybase = createTinyBaseRemotePersister(
      createTinyBaseStore().setTables(TABLES).setValues(VALUES),
      url,
      url,
    );
    await tinybase.save();
    await tinybase.destroy();
    const store = createStore();
    const persister = createRemotePersister(store, url, url);
    await persister.load();
    store.setCell('pets', 'fido', 'legs', 3);
    await persister.save();
    await persister.destroy();
    const tinybaseStore = createTinyBaseStore();
    const reader = createTinyBaseRemotePersister(tinybaseStore, url, url);
    await reader.load();
    await reader.destroy();
    expect(tinybaseStore.getContent()).toEqual(store.getContent());
    expect(store.getTables().pets.fido.legs).toBe(3);
  });

  it('a server error on load is reported and the store kept, in both', async () => {
    const {state, url} = await documentServer(JSON.stringify([TABLES, VALUES]));
    state.fail = true;
    const observe = async (
      load: () => Promise<unknown>,
      content: () => unknown,
      errors: unknown[],
    ) => {
      await load();
      return [content(), errors.length > 0];
    };
    const tinybaseErrors: unknown[] = [];
    const tinybaseStore = createTinyBaseStore().setTables({mine: {r: {c: 1}}});
    const tinybase = createTinyBaseRemotePersister(tinybaseStore, url, url, 5, (error) =>
      tinybaseErrors.push(error),
    );
    const xErrors: unknown[] = [];
    const store = createStore().setTables({mine: {r: {c: 1}}});
    const persister = createRemotePersister(store, url, url, 5, (error) => xErrors.push(error));
    expect(
      await observe(
        () => persister.load(),
        () => store.getContent(),
        xErrors,
      ),
    ).toEqual(
      await observe(
        () => tinybase.load(),
        () => tinybaseStore.getContent(),
        tinybaseErrors,
      ),
    );
    await tinybase.destroy();
    await persister.destroy();
  });

  it('a second writer in between: TinyBase overwrites it, @x keeps both (deliberate difference)', async () => {
    const run = async (tinybase: boolean) => {
      const {state, url} = await documentServer(JSON.stringify([{pets: {fido: {legs: 4}}}, {}]));
      const store = tinybase ? createTinyBaseStore() : createStore();
      const persister = tinybase
        ? createTinyBaseRemotePersister(store as ReturnType<typeof createTinyBaseStore>, url, url)
        : createRemotePersister(store as ReturnType<typeof createStore>, url, url);
      await persister.load();
      // Another client writes a new row.
      state.body = JSON.stringify([{pets: {fido: {legs: 4}, rex: {legs: 3}}}, {}]);
      state.version++;
      store.setCell('pets', 'fido', 'color', 'brown');
      await persister.save();
      await persister.destroy();
      return JSON.parse(state.body);
    };
    expect(await run(true)).toEqual([{pets: {fido: {legs: 4, color: 'brown'}}}, {}]);
    expect(await run(false)).toEqual([
      {pets: {fido: {legs: 4, color: 'brown'}, rex: {legs: 3}}},
      {},
    ]);
  });
});
