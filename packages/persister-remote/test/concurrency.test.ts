// Two clients editing different cells of one document at the same time
// converge, with every edit of both present.
import {createStore} from '@x/store';
import {expect, it} from 'vitest';
import {createRemotePersister} from '../src/index';
import {
  cleanUpAfterEach,
  FAST_RETRY,
  readRemote,
  sameContent,
  sleep,
  startReferenceServer,
  waitFor,
} from './helpers';

const cleanUps = cleanUpAfterEach();

it('two clients editing different cells for 3 seconds converge with every edit', async () => {
  const server = await startReferenceServer();
  cleanUps.push(() => server.close());
  const url = `${server.url}/stores/shared`;
  const errors: unknown[] = [];
  const clients = ['a', 'b'].map((name) => {
    const store = createStore();
    const persister = createRemotePersister(store, url, url, 0.05, (error) => errors.push(error), {
      ...FAST_RETRY,
    });
    cleanUps.push(() => persister.destroy());
    return {name, store, persister, edits: 0};
  });
  for (const client of clients) await client.persister.startAutoPersisting([{}, {}]);

  const until = Date.now() + 3_000;
  await Promise.all(
    clients.map(async (client) => {
      while (Date.now() < until) {
        // Same rows, different cells: `a3`/`b3` in row `r<n>`.
        const edit = client.edits++;
        client.store.setCell('grid', `r${edit % 20}`, `${client.name}${edit % 5}`, edit);
        client.store.setValue(`${client.name}Edits`, client.edits);
        await sleep(5 + Math.floor(Math.random() * 10));
      }
    }),
  );

  const expected = createStore();
  for (const client of clients) {
    // Replay each client's edits: the last write of each cell wins.
    for (let edit = 0; edit < client.edits; edit++) {
      expected.setCell('grid', `r${edit % 20}`, `${client.name}${edit % 5}`, edit);
    }
    expected.setValue(`${client.name}Edits`, client.edits);
  }
  const direct = `${server.url}/stores/shared`;
  await waitFor(
    async () =>
      sameContent(await readRemote(direct), expected.getContent()) &&
      clients.every((client) => sameContent(client.store.getContent(), expected.getContent())),
    10_000,
    'both clients and the server to converge',
  );
  for (const client of clients) expect(client.store.getContent()).toEqual(expected.getContent());
  expect(await readRemote(direct)).toEqual(expected.getContent());
  expect(clients.every((client) => client.edits > 50)).toBe(true);
  expect(errors).toEqual([]);
});
