// A document stored as `[tables]` (no values, as older versions wrote it)
// loads over HTTP as TinyBase loads it: the tables replace the store's, the
// store's values stay. A bare tables object stays an error (as in TinyBase 10).
import {createStore} from '@x/store';
import {afterEach, describe, expect, it} from 'vitest';
import {createRemotePersister} from '../src/index';
import {type RawServer, startRawServer} from './helpers';

const servers: RawServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

const serving = async (body: string) => {
  const server = await startRawServer((_request, response) => {
    response.writeHead(200, {'Content-Type': 'application/json', ETag: '"1"'}).end(body);
  });
  servers.push(server);
  return server.url;
};

describe('legacy documents', () => {
  it('loads [tables] and keeps the store values', async () => {
    const url = await serving('[{"pets":{"fido":{"species":"dog"}}}]');
    const errors: unknown[] = [];
    const store = createStore()
      .setTables({old: {r: {c: 1}}})
      .setValues({theme: 'dark'});
    const persister = createRemotePersister(store, url, url, 5, (error) => errors.push(error));
    await persister.load();
    await persister.destroy();
    expect(store.getContent()).toEqual([{pets: {fido: {species: 'dog'}}}, {theme: 'dark'}]);
    expect(errors).toEqual([]);
  });

  it('reports a bare tables object and leaves the store alone', async () => {
    const url = await serving('{"pets":{"fido":{"species":"dog"}}}');
    const errors: unknown[] = [];
    const store = createStore().setTables({old: {r: {c: 1}}});
    const persister = createRemotePersister(store, url, url, 5, (error) => errors.push(error));
    await persister.load();
    await persister.destroy();
    expect(store.getContent()).toEqual([{old: {r: {c: 1}}}, {}]);
    expect(String(errors[0])).toMatch(/not \[tables, values\] JSON/);
  });
});
