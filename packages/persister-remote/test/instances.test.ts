// Two reference-server instances on one PostgreSQL database (a private
// cluster started by this file), 50 clients spread over both, all editing one
// document at once: everyone ends with every edit, and so does the database.
import {createStore} from '@x/store';
import {startPrivatePostgres} from 'remote-server/testing';
import {afterAll, expect, it} from 'vitest';
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

const postgres = await startPrivatePostgres();
afterAll(() => postgres.destroy());
const cleanUps = cleanUpAfterEach();

const CLIENTS = 50;
const EDITS = 6;

it('50 clients over two instances on one database, all editing one document, converge with nothing lost', async () => {
  const instances = await Promise.all(
    [0, 1].map(() => startReferenceServer({databaseUrl: postgres.url})),
  );
  for (const instance of instances) cleanUps.push(() => instance.close());
  const errors: unknown[] = [];
  const clients = Array.from({length: CLIENTS}, (_, index) => {
    const url = `${instances[index % 2]!.url}/stores/crowd`;
    const store = createStore();
    const persister = createRemotePersister(store, url, url, 1, (error) => errors.push(error), {
      ...FAST_RETRY,
    });
    cleanUps.push(() => persister.destroy());
    return {index, store, persister};
  });
  await clients[0]!.persister.startAutoPersisting([{}, {}]);
  await clients[0]!.persister.save();
  await Promise.all(clients.slice(1).map((client) => client.persister.startAutoPersisting()));

  // Everyone edits its own cells of shared rows, and its own value, at once.
  await Promise.all(
    clients.map(async ({index, store}) => {
      for (let edit = 1; edit <= EDITS; edit++) {
        store.setCell('grid', `r${edit % 3}`, `c${index}`, edit);
        store.setValue(`v${index}`, edit);
        await sleep(Math.floor(Math.random() * 40));
      }
    }),
  );

  const expected = createStore();
  for (const {index} of clients) {
    for (let edit = 1; edit <= EDITS; edit++) {
      expected.setCell('grid', `r${edit % 3}`, `c${index}`, edit);
    }
    expected.setValue(`v${index}`, EDITS);
  }
  const direct = `${instances[0]!.url}/stores/crowd`;
  await waitFor(
    async () =>
      sameContent(await readRemote(direct), expected.getContent()) &&
      clients.every(({store}) => sameContent(store.getContent(), expected.getContent())),
    60_000,
    'every client and the database to hold every edit',
  );
  expect(await readRemote(`${instances[1]!.url}/stores/crowd`)).toEqual(expected.getContent());
  // 50 writers on one document meet many conflicts; the core reports a save
  // it gave up after 5 in a row (and retries it): nothing else may go wrong.
  for (const error of errors) expect(String(error)).toMatch(/Storage kept changing/);
}, 90_000);
