// 50 clients saving at the same time, five to a document: no errors, nothing
// lost, and each document is what the last write the server accepted said.
import {type Changes, createStore} from '@x/store';
import {expect, it} from 'vitest';
import {changesFromJson} from '../src/changesJson';
import {createRemotePersister} from '../src/index';
import {startFaultyProxy} from './faultyProxy';
import {cleanUpAfterEach, FAST_RETRY, readRemote, startReferenceServer} from './helpers';

const cleanUps = cleanUpAfterEach();

const CLIENTS = 50;
const DOCUMENTS = 10;

it('50 clients saving concurrently: no errors, every write kept, the last accepted write stands', async () => {
  const server = await startReferenceServer();
  cleanUps.push(() => server.close());
  // A recording proxy (no faults) shows which writes the server accepted.
  const proxy = await startFaultyProxy(server.url);
  cleanUps.push(() => proxy.close());
  const errors: unknown[] = [];
  const clients = Array.from({length: CLIENTS}, (_, index) => {
    const path = `/stores/crowd${index % DOCUMENTS}`;
    const store = createStore();
    const url = `${proxy.url}${path}`;
    const persister = createRemotePersister(store, url, url, 60, (error) => errors.push(error), {
      ...FAST_RETRY,
    });
    cleanUps.push(() => persister.destroy());
    return {index, path, store, persister};
  });
  await Promise.all(clients.map((client) => client.persister.load([{}, {}])));

  // Two rounds, each one save per client, all at once. Five writers to a
  // document means at most four conflicts per save, within the core's limit.
  for (const round of [1, 2]) {
    // Everyone starts the round from the current documents.
    await Promise.all(clients.map((client) => client.persister.load()));
    await Promise.all(
      clients.map(async ({index, store, persister}) => {
        store.setRow('clients', `c${index}`, {index, round});
        store.setValue(`last${index}`, round);
        await persister.save();
      }),
    );
  }

  for (let document = 0; document < DOCUMENTS; document++) {
    const path = `/stores/crowd${document}`;
    const final = await readRemote(`${server.url}${path}`);
    // Accepted writes of one document are sequential (each names the ETag of
    // the one before): arrival order is commit order.
    const accepted = proxy.exchanges.filter(
      (exchange) =>
        exchange.path === path &&
        ['POST', 'PATCH'].includes(exchange.method) &&
        exchange.status === 204,
    );
    const last = accepted.at(-1)!;
    if (last.method === 'POST') expect(JSON.parse(last.body)).toEqual(final);
    else {
      // A save after a 412 reload is incremental: what it set is what stands.
      const [tables, values] = changesFromJson(JSON.parse(last.body)) as Changes;
      for (const [tableId, table] of Object.entries(tables)) {
        for (const [rowId, row] of Object.entries(table ?? {})) {
          for (const [cellId, cell] of Object.entries(row ?? {})) {
            expect(final![0][tableId]?.[rowId]?.[cellId]).toEqual(cell);
          }
        }
      }
      for (const [valueId, value] of Object.entries(values)) {
        expect(final![1][valueId]).toEqual(value);
      }
    }
    const writers = clients.filter((client) => client.path === path);
    expect(Object.keys(final![0].clients!).sort()).toEqual(
      writers.map(({index}) => `c${index}`).sort(),
    );
    for (const {index} of writers) {
      expect(final![0].clients![`c${index}`]).toEqual({index, round: 2});
      expect(final![1][`last${index}`]).toBe(2);
    }
  }
  expect(errors).toEqual([]);
  const posts = proxy.exchanges.filter((exchange) => ['POST', 'PATCH'].includes(exchange.method));
  expect(posts.filter((exchange) => exchange.status === 204).length).toBeGreaterThanOrEqual(
    CLIENTS * 2,
  );
  expect(posts.some((exchange) => exchange.status === 412)).toBe(true);
});
