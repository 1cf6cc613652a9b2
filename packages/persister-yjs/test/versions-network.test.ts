// Two versions of an app on one room of a real y-websocket server on 127.0.0.1: the
// new one migrates, the old one reports and writes nothing after hearing it.
import {type Migrate, PersisterVersionError} from '@x/persister';
import {type Content, createStore} from '@x/store';
import {afterEach, beforeEach, expect, it} from 'vitest';
import WebSocket from 'ws';
import {WebsocketProvider} from 'y-websocket';
import * as Y from 'yjs';
import {createYjsPersister} from '../src';
import {docContent, renameLegs, until} from './helpers';
import {startYServer, type YServer} from './y-websocket-server';

let server: YServer;
const cleanUps: (() => unknown)[] = [];

beforeEach(async () => {
  server = await startYServer();
});

afterEach(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
  await server.close();
});

const ownClock = (doc: Y.Doc): number =>
  Y.decodeStateVector(Y.encodeStateVector(doc)).get(doc.clientID) ?? 0;

/** A client on the room: its own doc, provider, store and persister of `version`. */
const connect = async (options: {version: number; migrate?: Migrate}) => {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(server.url, 'pets', doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
  });
  const store = createStore();
  const errors: unknown[] = [];
  const persister = createYjsPersister(store, doc, 'store', (error) => errors.push(error), options);
  cleanUps.push(
    () => doc.destroy(),
    () => provider.destroy(),
    () => persister.destroy(),
  );
  await until(() => provider.synced, 'the first sync');
  return {doc, store, persister, errors};
};

it('over a real y-websocket server: the new app migrates, the old one reports and stops writing', async () => {
  const FIDO: Content = [{pets: {fido: {species: 'dog', legs: 4}}}, {}];
  const a = await connect({version: 1});
  await a.persister.startAutoPersisting(FIDO);

  const b = await connect({version: 2, migrate: renameLegs});
  await until(() => docContent(b.doc)?.[0].pets?.fido?.legs === 4, 'the old data to reach B');
  await b.persister.startAutoPersisting();
  expect(b.store.getTables()).toEqual({pets: {fido: {species: 'dog', legCount: 4}}});
  await until(
    () => a.errors.some((error) => error instanceof PersisterVersionError),
    'the old app to hear of version 2',
  );
  expect(a.store.getContent()).toEqual(FIDO);
  expect(docContent(a.doc)).toEqual([
    {pets: {fido: {species: 'dog', legCount: 4}}},
    {},
    {version: 2},
  ]);

  const clock = ownClock(a.doc);
  a.store.setCell('pets', 'fido', 'legs', 3);
  await a.persister.save();
  // B keeps working; its edit reaches A's doc, while nothing of A's reaches anyone.
  b.store.setCell('pets', 'fido', 'color', 'brown');
  await until(() => docContent(a.doc)?.[0].pets?.fido?.color === 'brown', 'B’s edit to reach A');
  expect(ownClock(a.doc)).toBe(clock);
  expect(docContent(b.doc)).toEqual([
    {pets: {fido: {species: 'dog', legCount: 4, color: 'brown'}}},
    {},
    {version: 2},
  ]);
  expect(b.errors).toEqual([]);
});
