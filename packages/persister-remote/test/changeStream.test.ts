// Autoload on the server's change stream: changes pushed to other clients,
// polling when the stream is cut (and the stream again once it is back),
// garbage on the stream reported. Real servers on 127.0.0.1.
import {createStore} from '@x/store';
import {expect, it} from 'vitest';
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

const persisterFor = (url: string, errors: unknown[], intervalSeconds: number) => {
  const store = createStore();
  const persister = createRemotePersister(
    store,
    url,
    url,
    intervalSeconds,
    (error) => errors.push(error),
    FAST_RETRY,
  );
  cleanUps.push(() => persister.destroy());
  return {store, persister};
};

it('pushes one client’s edits to another without polling, as merged changes', async () => {
  const server = await startReferenceServer();
  cleanUps.push(() => server.close());
  const proxy = await startFaultyProxy(server.url);
  cleanUps.push(() => proxy.close());
  const errors: unknown[] = [];
  // Polls every 60 s: only the stream can bring the changes within the test.
  const a = persisterFor(`${server.url}/stores/doc`, errors, 60);
  const b = persisterFor(`${proxy.url}/stores/doc`, errors, 60);
  await a.persister.startAutoPersisting([{}, {}]);
  await a.persister.save();
  await b.persister.startAutoPersisting();
  await waitFor(() => proxy.streamCount() === 1, 3_000, 'b’s stream');
  const getsBefore = proxy.exchanges.filter((exchange) => exchange.method === 'GET').length;
  for (let edit = 1; edit <= 20; edit++) {
    a.store.setCell('t', `r${edit % 3}`, 'n', edit);
    await waitFor(() => b.store.getCell('t', `r${edit % 3}`, 'n') === edit, 3_000, `edit ${edit}`);
  }
  a.store.delRow('t', 'r1');
  await waitFor(() => !b.store.hasRow('t', 'r1'), 3_000, 'the deleted row');
  // Every change came with its event: b never read the document again.
  expect(proxy.exchanges.filter((exchange) => exchange.method === 'GET').length).toBe(getsBefore);
  expect(b.store.getContent()).toEqual(a.store.getContent());
  expect(await readRemote(`${server.url}/stores/doc`)).toEqual(a.store.getContent());
  expect(errors).toEqual([]);
});

it('falls back to polling when the stream is cut, and back to the stream when it returns', async () => {
  const server = await startReferenceServer();
  cleanUps.push(() => server.close());
  const proxy = await startFaultyProxy(server.url);
  cleanUps.push(() => proxy.close());
  const direct = `${server.url}/stores/doc`;
  await writeRemote(direct, [{}, {n: 0}]);
  const errors: unknown[] = [];
  const {store, persister} = persisterFor(`${proxy.url}/stores/doc`, errors, 0.1);
  await persister.startAutoLoad();
  await waitFor(() => proxy.streamCount() === 1, 3_000, 'the stream');
  const gets = () => proxy.exchanges.filter((exchange) => exchange.method === 'GET').length;
  // While the stream is live, polls rest.
  const getsLive = gets();
  await sleep(500);
  expect(gets()).toBeLessThanOrEqual(getsLive + 1);

  proxy.cutStreams(false);
  await sleep(50);
  await writeRemote(direct, [{}, {n: 1}]);
  await waitFor(() => store.getValue('n') === 1, 3_000, 'the change by polling');
  const getsCut = gets();
  await sleep(500);
  expect(gets()).toBeGreaterThan(getsCut + 2); // polling, every 0.1 s

  proxy.cutStreams(true);
  await waitFor(() => proxy.streamCount() === 1, 5_000, 'the stream to come back');
  await sleep(200);
  const getsBack = gets();
  await writeRemote(direct, [{}, {n: 2}]);
  await waitFor(() => store.getValue('n') === 2, 3_000, 'the change by the stream');
  await sleep(500);
  // One read for the POSTed version (an event without changes), no polls.
  expect(gets()).toBeLessThanOrEqual(getsBack + 2);
  expect(errors).toEqual([]);
});

const offeringServer = async (streamAnswer: 'garbage' | 'html') => {
  const seen: string[] = [];
  const server = await startRawServer((request, response) => {
    seen.push(request.url ?? '');
    if (request.url === '/doc/events') {
      if (streamAnswer === 'html') {
        response.writeHead(200, {'Content-Type': 'text/html'}).end('<html>login</html>');
        return;
      }
      response.writeHead(200, {'Content-Type': 'text/event-stream'});
      response.write('event: change\ndata: {"etag": "v2", oops\n\n');
      return;
    }
    response
      .writeHead(200, {
        'Content-Type': 'application/json',
        ETag: '"v1"',
        'Accept-Patch': 'application/x-store-changes+json',
        Link: '</doc/events>; rel="alternate"; type="text/event-stream"',
      })
      .end('[{},{"a":1}]');
  });
  cleanUps.push(() => server.close());
  return {server, seen};
};

it('reports garbage on the stream and keeps the store as it was', async () => {
  const {server} = await offeringServer('garbage');
  const errors: unknown[] = [];
  const {store, persister} = persisterFor(`${server.url}/doc`, errors, 60);
  await persister.startAutoLoad();
  await waitFor(() => errors.length > 0, 3_000, 'the report');
  expect(String(errors[0])).toMatch(/change stream sent an event that is not JSON/);
  expect(store.getContent()).toEqual([{}, {a: 1}]);
});

it('polls when the advertised stream answers something that is not an event stream', async () => {
  const {server, seen} = await offeringServer('html');
  const errors: unknown[] = [];
  const {store, persister} = persisterFor(`${server.url}/doc`, errors, 0.05);
  await persister.startAutoLoad();
  await waitFor(() => seen.filter((url) => url === '/doc').length >= 6, 3_000, 'polls');
  expect(seen).toContain('/doc/events');
  expect(store.getContent()).toEqual([{}, {a: 1}]);
  expect(errors).toEqual([]);
});

it('takes a silent stream for dropped after streamIdleTimeoutMs (keep-alives keep a quiet one live)', async () => {
  const server = await startReferenceServer({heartbeatMs: 100});
  cleanUps.push(() => server.close());
  const proxy = await startFaultyProxy(server.url);
  cleanUps.push(() => proxy.close());
  const direct = `${server.url}/stores/doc`;
  await writeRemote(direct, [{}, {n: 0}]);
  const errors: unknown[] = [];
  const store = createStore();
  const url = `${proxy.url}/stores/doc`;
  const persister = createRemotePersister(store, url, url, 0.1, (error) => errors.push(error), {
    ...FAST_RETRY,
    streamIdleTimeoutMs: 400,
  });
  cleanUps.push(() => persister.destroy());
  await persister.startAutoLoad();
  await waitFor(() => proxy.streamCount() === 1, 3_000, 'the stream');
  const gets = () => proxy.exchanges.filter((exchange) => exchange.method === 'GET').length;
  const getsLive = gets();
  // Quiet for longer than the idle timeout, but the server's keep-alives arrive.
  await sleep(1_000);
  expect(gets()).toBeLessThanOrEqual(getsLive + 1);
  proxy.stallStreams();
  await writeRemote(direct, [{}, {n: 1}]);
  // The event is stuck in the silent stream, which still counts as live for a while...
  await sleep(150);
  expect(store.getValue('n')).toBe(0);
  // ...until it has been silent for 400 ms: then a read brings the change.
  await waitFor(() => store.getValue('n') === 1, 3_000, 'the change by a read');
  expect(gets()).toBeGreaterThan(getsLive);
  expect(errors).toEqual([]);
});
