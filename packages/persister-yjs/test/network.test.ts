import type {Store} from '@x/store';
import {createStore} from '@x/store';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import WebSocket from 'ws';
import {WebsocketProvider} from 'y-websocket';
import * as Y from 'yjs';
import {createYjsPersister, type YjsPersister} from '../src';
import {canonical, docContent, until} from './helpers';
import {startYServer, type YServer} from './y-websocket-server';

type Client = {doc: Y.Doc; store: Store; provider: WebsocketProvider; persister: YjsPersister};

let server: YServer;
let clients: Client[] = [];

/** A Node client: its own doc, store and persister, synced through the server. */
const connect = async (room: string): Promise<Client> => {
  const doc = new Y.Doc();
  const store = createStore();
  const provider = new WebsocketProvider(server.url, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
  });
  const client = {doc, store, provider, persister: createYjsPersister(store, doc)};
  clients.push(client);
  await until(() => provider.synced, 'the first sync');
  await client.persister.startAutoPersisting();
  return client;
};

const json = canonical;
const allAgree = () =>
  clients.every(
    ({store, doc}) =>
      json(store.getContent()) === json(clients[0].store.getContent()) &&
      json(docContent(doc)) === json(store.getContent()),
  );

beforeEach(async () => {
  server = await startYServer();
});

afterEach(async () => {
  for (const {persister, provider, doc} of clients) {
    await persister.destroy();
    provider.destroy();
    doc.destroy();
  }
  clients = [];
  await server.close();
});

describe('over a real y-websocket server', () => {
  it('three clients writing at once converge', async () => {
    const [a, b, c] = [await connect('list'), await connect('list'), await connect('list')];
    a.store.setRow('items', 'milk', {text: 'milk', done: false});
    await until(() => b.store.hasRow('items', 'milk') && c.store.hasRow('items', 'milk'), 'milk');

    a.store.setRow('items', 'eggs', {text: 'eggs', done: false}).setValue('title', 'A');
    b.store
      .setRow('items', 'bread', {text: 'bread', done: false})
      .setCell('items', 'milk', 'done', true);
    c.store.transaction(() => {
      c.store.setRow('items', 'jam', {text: 'jam', done: false});
      c.store.setCell('items', 'milk', 'qty', 2);
    });
    await until(allAgree, 'all three to agree');
    expect(a.store.getTables()).toEqual({
      items: {
        milk: {text: 'milk', done: true, qty: 2},
        eggs: {text: 'eggs', done: false},
        bread: {text: 'bread', done: false},
        jam: {text: 'jam', done: false},
      },
    });
    expect(c.store.getValues()).toEqual({title: 'A'});
  });

  it('a client that edits offline and reconnects merges without losing either side', async () => {
    const [a, b, c] = [await connect('list'), await connect('list'), await connect('list')];
    a.store.setTable('items', {
      milk: {text: 'milk', done: false},
      eggs: {text: 'eggs', done: false},
      rice: {text: 'rice', done: false},
    });
    await until(allAgree, 'the first list everywhere');

    c.provider.disconnect();
    await until(() => !c.provider.wsconnected, 'c to go offline');
    // Online edits...
    a.store
      .setRow('items', 'tea', {text: 'tea', done: false})
      .setCell('items', 'milk', 'done', true);
    b.store.delRow('items', 'rice');
    b.store.setRow('notes', 'n1', {text: 'from b'});
    // ...and offline edits, including a new table that b also created meanwhile.
    c.store
      .setRow('items', 'soap', {text: 'soap', done: false})
      .setCell('items', 'eggs', 'qty', 12);
    c.store.setRow('notes', 'n2', {text: 'from c'});
    await until(() => b.store.hasRow('items', 'tea') && a.store.hasTable('notes'), 'online sync');
    expect(c.store.hasRow('items', 'tea')).toBe(false);

    c.provider.connect();
    await until(allAgree, 'all three to agree after reconnecting');
    expect(c.store.getTables()).toEqual({
      items: {
        milk: {text: 'milk', done: true},
        eggs: {text: 'eggs', done: false, qty: 12},
        tea: {text: 'tea', done: false},
        soap: {text: 'soap', done: false},
      },
      notes: {n1: {text: 'from b'}, n2: {text: 'from c'}},
    });
  });
});
