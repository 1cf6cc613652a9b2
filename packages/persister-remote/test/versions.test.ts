// Versioned content through the reference server, on both of its stores:
// two clients of different versions on one document (the newer one migrates,
// the older one must never load the new shape nor write over it), and a server
// answering a version that is garbage. Real servers on 127.0.0.1, a real
// PostgreSQL (a private cluster started by this file).
import {type PersistedContent, PersisterVersionError} from '@x/persister';
import type {Content} from '@x/store';
import {createStore} from '@x/store';
import {startPrivatePostgres} from 'remote-server/testing';
import {afterAll, describe, expect, it} from 'vitest';
import {createRemotePersister, type RemotePersisterOptions} from '../src/index';
import {startFaultyProxy} from './faultyProxy';
import {
  cleanUpAfterEach,
  FAST_RETRY,
  readRemote,
  sleep,
  startRawServer,
  startReferenceServer,
  waitFor,
} from './helpers';

const cleanUps = cleanUpAfterEach();
const postgres = await startPrivatePostgres();
afterAll(() => postgres.destroy());

/** Version 1 keeps pets; version 2 calls them animals. */
const V1_CONTENT: Content = [
  {pets: {fido: {species: 'dog'}, rex: {species: 'cat'}}},
  {owner: 'ann'},
];
const migrate = ([tables, values]: Content, fromVersion: number): Content => {
  if (fromVersion >= 2) return [tables, values];
  const {pets, ...rest} = tables;
  return [{...rest, animals: pets ?? {}}, values];
};

let documents = 0;

const clientOf = (url: string, options: RemotePersisterOptions, interval = 0.05) => {
  const store = createStore();
  const errors: unknown[] = [];
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
  return {store, persister, errors};
};

const versionErrors = (errors: unknown[]) =>
  errors.filter((error): error is PersisterVersionError => error instanceof PersisterVersionError);

describe.each([
  ['files', () => ({})],
  ['postgres', () => ({databaseUrl: postgres.url})],
] as const)('two clients of different versions (%s)', (_kind, serverOptions) => {
  const serve = async () => {
    const server = await startReferenceServer(serverOptions());
    cleanUps.push(() => server.close());
    const proxy = await startFaultyProxy(server.url);
    cleanUps.push(() => proxy.close());
    const id = `versions-${process.pid}-${++documents}`;
    return {proxy, direct: `${server.url}/stores/${id}`, url: `${proxy.url}/stores/${id}`};
  };

  it.each([
    ['the change stream', {}],
    ['polling', {changeStream: false}],
  ] as const)(
    'B migrates to version 2; A (version 1, autoloading through %s) loads nothing and never writes again',
    async (_how, listening) => {
      const {proxy, direct, url} = await serve();
      const a = clientOf(url, {version: 1, ...listening});
      await a.persister.startAutoPersisting(V1_CONTENT);
      await waitFor(async () => (await readRemote(direct)) !== undefined, 3_000, 'A to create');
      expect(await readRemote(direct)).toEqual([...V1_CONTENT, {version: 1}]);

      const migrations: number[] = [];
      const b = clientOf(url, {
        version: 2,
        migrate: (content, from) => {
          migrations.push(from);
          return migrate(content, from);
        },
      });
      await b.persister.startAutoPersisting();
      const migrated: PersistedContent = [
        {animals: {fido: {species: 'dog'}, rex: {species: 'cat'}}},
        {owner: 'ann'},
        {version: 2},
      ];
      expect(migrations).toEqual([1]);
      expect(b.store.getContent()).toEqual(migrated.slice(0, 2));
      await waitFor(
        async () => JSON.stringify(await readRemote(direct)) === JSON.stringify(migrated),
        3_000,
        'B to write version 2',
      );

      // A hears of it, refuses it loudly, and keeps what it had.
      await waitFor(() => versionErrors(a.errors).length > 0, 3_000, 'A to report the version');
      const [reported] = versionErrors(a.errors);
      expect(reported!.storedVersion).toBe(2);
      expect(reported!.appVersion).toBe(1);
      expect(a.store.getContent()).toEqual(V1_CONTENT);

      // A's later edits, automatic or explicit, never reach the server.
      const exchangesBefore = proxy.exchanges.length;
      a.store.setCell('pets', 'fido', 'species', 'wolf');
      a.store.setValue('owner', 'bob');
      await sleep(400);
      await a.persister.save();
      await sleep(100);
      expect(await readRemote(direct)).toEqual(migrated);
      const aWrites = proxy.exchanges
        .slice(exchangesBefore)
        .filter((exchange) => exchange.method === 'POST' || exchange.method === 'PATCH');
      expect(aWrites.map((exchange) => exchange.status)).not.toContain(204);
      expect(a.store.getTables().animals).toBeUndefined();
      // Only the version error, and the explicit save's refusal.
      for (const error of a.errors) {
        if (error instanceof PersisterVersionError) continue;
        expect(String(error)).toMatch(/Not saved: storage could not be read/);
      }
      // B goes on as usual.
      b.store.setCell('animals', 'tom', 'species', 'cat');
      await waitFor(
        async () => (await readRemote(direct))?.[0].animals?.tom !== undefined,
        3_000,
        'B to save on',
      );
      expect((await readRemote(direct))?.[2]).toEqual({version: 2});
      expect(b.errors).toEqual([]);
    },
  );

  it.each([
    ['a migration that renames a table', migrate],
    ['a migration that only bumps the version', (content: Content) => content],
  ])(
    "A's PATCH computed against version 1 never lands on B's version 2 (%s)",
    async (_name, bMigrate) => {
      const {proxy, direct, url} = await serve();
      // A saves automatically but does not listen: it cannot know of B's write.
      const a = clientOf(url, {version: 1});
      await a.persister.load(V1_CONTENT[0], V1_CONTENT[1]);
      await a.persister.save();
      await a.persister.startAutoSave();
      a.store.setCell('pets', 'fido', 'legs', 4);
      await waitFor(
        () => proxy.exchanges.some((exchange) => exchange.method === 'PATCH'),
        3_000,
        "A's first PATCH",
      );
      const b = clientOf(url, {version: 2, migrate: bMigrate});
      await b.persister.load();
      await b.persister.save();
      const written = await readRemote(direct);
      expect(written?.[2]).toEqual({version: 2});

      const patchesBefore = proxy.exchanges.filter(
        (exchange) => exchange.method === 'PATCH',
      ).length;
      a.store.setCell('pets', 'rex', 'legs', 3);
      await waitFor(() => versionErrors(a.errors).length > 0, 3_000, 'A to report the version');
      const patches = proxy.exchanges.filter((exchange) => exchange.method === 'PATCH');
      expect(patches.length).toBeGreaterThan(patchesBefore);
      // Sent with the ETag of version 1's document: refused.
      expect(patches.slice(patchesBefore).map((exchange) => exchange.status)).toEqual(
        patches.slice(patchesBefore).map(() => 412),
      );
      await sleep(300);
      expect(await readRemote(direct)).toEqual(written);
    },
  );

  it('races: A edits while B migrates, over and over; the document is always a whole version 2', async () => {
    for (let round = 0; round < 5; round++) {
      const {direct, url} = await serve();
      const a = clientOf(url, {version: 1});
      await a.persister.startAutoPersisting(V1_CONTENT);
      await waitFor(async () => (await readRemote(direct)) !== undefined, 3_000, 'A to create');
      const b = clientOf(url, {version: 2, migrate});
      const migrating = b.persister.startAutoPersisting();
      for (let edit = 0; edit < 20; edit++) {
        a.store.setCell('pets', `p${edit}`, 'species', 'fish');
        if (edit % 4 === round % 4) await sleep(edit);
      }
      await migrating;
      await waitFor(
        async () => (await readRemote(direct))?.[2]?.version === 2,
        3_000,
        'version 2 on the server',
      );
      await sleep(200);
      const final = (await readRemote(direct))!;
      // Whatever A got in before the migration was migrated; nothing of version 1's shape after.
      expect(final[2]).toEqual({version: 2});
      expect(final[0].pets).toBeUndefined();
      expect(final[0].animals?.fido).toEqual({species: 'dog'});
      expect(b.errors).toEqual([]);
    }
  });
});

describe('a server answering a version that is garbage', () => {
  it.each([
    ['-1', '{"version":-1}'],
    ['"2"', '{"version":"2"}'],
    ['{}', '{}'],
  ])('version %s: a failed read, reported; nothing loaded or overwritten', async (_name, meta) => {
    const writes: {method: string; condition: string | undefined}[] = [];
    const server = await startRawServer((request, response) => {
      if (request.method === 'GET') {
        response.writeHead(200, {'Content-Type': 'application/json', ETag: '"garbage"'});
        response.end(`[{"pets":{"fido":{"species":"dog"}}},{},${meta}]`);
        return;
      }
      writes.push({
        method: request.method ?? '',
        condition: request.headers['if-match'] ?? request.headers['if-none-match'],
      });
      request.resume();
      response.writeHead(204, {ETag: '"written"'}).end();
    });
    cleanUps.push(() => server.close());
    // `keepsUnreadableAside` (not an option of this backend, passed from JavaScript) changes nothing.
    const keepsAside = {keepsUnreadableAside: () => true} as RemotePersisterOptions;
    for (const options of [{}, {version: 1}, {version: 2, migrate}, keepsAside]) {
      const {store, persister, errors} = clientOf(`${server.url}/stores/doc`, options);
      await persister.startAutoPersisting();
      store.setCell('pets', 'own', 'legs', 4);
      await sleep(200);
      await persister.save();
      // Nothing of the server's document loaded: the store holds only the app's edit.
      expect(store.getContent()).toEqual([{pets: {own: {legs: 4}}}, {}]);
      expect(writes).toEqual([]);
      expect(errors.length).toBeGreaterThan(0);
      expect(String(errors[0])).toMatch(/content\[2\]/);
      // Only when told to: an explicit overwrite replaces what could not be read.
      await persister.save({overwrite: true});
      expect(writes).toEqual([{method: 'POST', condition: undefined}]);
      writes.length = 0;
      await persister.destroy();
    }
  });
});

it('a versioned client sends [tables, values, {version}] on POST, plain changes on PATCH', async () => {
  const server = await startReferenceServer();
  cleanUps.push(() => server.close());
  const proxy = await startFaultyProxy(server.url);
  cleanUps.push(() => proxy.close());
  const url = `${proxy.url}/stores/wire`;
  const {store, persister, errors} = clientOf(url, {version: 3});
  await persister.startAutoPersisting([{t: {r: {a: 1}}}, {v: true}]);
  store.setCell('t', 'r', 'a', 2);
  await waitFor(
    () => proxy.exchanges.some((exchange) => exchange.method === 'PATCH'),
    3_000,
    'the PATCH',
  );
  const [post] = proxy.exchanges.filter((exchange) => exchange.method === 'POST');
  expect(post!.body).toBe('[{"t":{"r":{"a":1}}},{"v":true},{"version":3}]');
  const [patch] = proxy.exchanges.filter((exchange) => exchange.method === 'PATCH');
  expect(patch!.body).toBe('[{"t":{"r":{"a":[2]}}},{},1]');
  expect(patch!.status).toBe(204);
  expect(await readRemote(`${server.url}/stores/wire`)).toEqual([
    {t: {r: {a: 2}}},
    {v: true},
    {version: 3},
  ]);
  expect(errors).toEqual([]);
});
