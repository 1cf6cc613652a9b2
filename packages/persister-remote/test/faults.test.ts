// A client behind a proxy that fails, resets, delays or stalls 40% of
// the requests still gets every one of its 1,000 edits to the server.
import {createStore} from '@x/store';
import {expect, it} from 'vitest';
import {createRemotePersister} from '../src/index';
import {startFaultyProxy} from './faultyProxy';
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

it('1,000 edits through a proxy faulting 40% of requests all reach the server', async () => {
  const server = await startReferenceServer();
  cleanUps.push(() => server.close());
  const proxy = await startFaultyProxy(server.url, {
    faultRate: 0.4,
    delayMs: 40,
    stallMs: 700,
  });
  cleanUps.push(() => proxy.close());
  const url = `${proxy.url}/stores/edits`;
  const store = createStore();
  const errors: unknown[] = [];
  const persister = createRemotePersister(store, url, url, 0.1, (error) => errors.push(error), {
    ...FAST_RETRY,
    requestTimeoutMs: 300,
  });
  cleanUps.push(() => persister.destroy());
  await persister.startAutoPersisting([{}, {}]);

  for (let edit = 0; edit < 1_000; edit++) {
    const row = `r${edit % 40}`;
    if (edit % 7 === 6) store.delRow('edits', `r${(edit * 3) % 40}`);
    else store.setCell('edits', row, `c${edit % 3}`, edit);
    store.setValue('lastEdit', edit);
    // Let saves go out between bursts, so that many requests meet faults.
    if (edit % 2 === 1) await sleep(2);
  }

  const direct = `${server.url}/stores/edits`;
  await waitFor(
    async () => sameContent(await readRemote(direct), store.getContent()),
    20_000,
    'the server to hold the store',
  );
  expect(await readRemote(direct)).toEqual(store.getContent());
  expect(store.getValue('lastEdit')).toBe(999);

  const faulted = proxy.exchanges.filter((exchange) => exchange.fault !== 'none');
  expect(faulted.length / proxy.exchanges.length).toBeGreaterThanOrEqual(0.3);
  expect(new Set(faulted.map((exchange) => exchange.fault)).size).toBe(5);
  // Incremental saves are PATCHes (the first save, and saves after a 412 reload, may be POSTs).
  const writes = proxy.exchanges.filter((exchange) => ['POST', 'PATCH'].includes(exchange.method));
  expect(writes.length).toBeGreaterThan(20);
  expect(writes.filter((exchange) => exchange.method === 'PATCH').length).toBeGreaterThan(10);
  // Failures were reported through onIgnoredError, each with a clear message.
  expect(errors.length).toBeGreaterThan(0);
  for (const error of errors) {
    expect(String(error)).toMatch(/(answered 503|failed|timed out)/);
  }
});
