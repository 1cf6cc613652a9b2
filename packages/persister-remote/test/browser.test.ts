// The persister in real Chromium (Debian's, via playwright-core): a page on
// one origin (a static server of the test) talks to the reference server on
// another, so preflights, the token and conditional headers and the exposed
// ETag all go through the browser's own fetch and CORS checks.
import {execFileSync} from 'node:child_process';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {extname, join, normalize} from 'node:path';
import type {createStore, Store} from '@x/store';
import {type BrowserContext, chromium, type Page} from 'playwright-core';
import {request} from 'undici';
import {afterAll, afterEach, beforeAll, expect, it} from 'vitest';
import {chromiumLaunchOptions} from '../../../scripts/chromium';
import type {createRemotePersister, RemotePersister} from '../src/index';
import {readRemote, startReferenceServer, waitFor} from './helpers';

// What the page puts on window (the test code below runs inside the page).
declare global {
  interface Window {
    x: {createStore: typeof createStore; createRemotePersister: typeof createRemotePersister};
    scenario: {store: Store; persister: RemotePersister; errors: string[]};
  }
}

const PACKAGES = join(import.meta.dirname, '..', '..');
let bundleDir: string;
let profileDir: string;
let context: BrowserContext;
let pageOrigin: string;
let closePageServer: () => Promise<void>;
const cleanUps: (() => Promise<unknown>)[] = [];

/** Serves the page, an import map and the ESM builds of the three packages. */
const startPageServer = async () => {
  const roots: Record<string, string> = {
    store: join(PACKAGES, 'store', 'dist'),
    persister: join(PACKAGES, 'persister', 'dist'),
    remote: bundleDir,
  };
  const page = `<!doctype html><script type="importmap">${JSON.stringify({
    imports: {
      '@x/store': '/x/store/index.js',
      '@x/persister': '/x/persister/index.js',
      '@x/persister-remote': '/x/remote/index.js',
    },
  })}</script><script type="module">
    import {createStore} from '@x/store';
    import {createRemotePersister} from '@x/persister-remote';
    window.x = {createStore, createRemotePersister};
  </script>`;
  const server = createServer(async (req, res) => {
    const match = /^\/x\/(store|persister|remote)\/([\w.-]+\.js)$/.exec(req.url ?? '');
    if (req.url === '/') {
      res.writeHead(200, {'Content-Type': 'text/html'}).end(page);
    } else if (match && extname(match[2]!) === '.js') {
      const file = normalize(join(roots[match[1]!]!, match[2]!));
      res.writeHead(200, {'Content-Type': 'text/javascript'}).end(await readFile(file));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  pageOrigin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  closePageServer = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
};

beforeAll(async () => {
  // An ESM build of this package's source, in a temp folder (dist/ is left alone).
  bundleDir = await mkdtemp(join(tmpdir(), 'persister-remote-page-'));
  execFileSync(
    'pnpm',
    [
      'exec',
      'tsup',
      'src/index.ts',
      '--format',
      'esm',
      '--target',
      'es2022',
      '--silent',
      '--out-dir',
      bundleDir,
    ],
    {cwd: join(import.meta.dirname, '..'), stdio: 'pipe'},
  );
  await startPageServer();
  profileDir = await mkdtemp(join(tmpdir(), 'persister-remote-chromium-'));
  context = await chromium.launchPersistentContext(profileDir, chromiumLaunchOptions);
});

afterAll(async () => {
  await context?.close();
  await closePageServer?.();
  await rm(profileDir, {recursive: true, force: true});
  await rm(bundleDir, {recursive: true, force: true});
});

afterEach(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});

const openPage = async (): Promise<Page> => {
  const page = await context.newPage();
  cleanUps.push(() => page.close());
  await page.goto(`${pageOrigin}/`);
  await page.waitForFunction(() => 'x' in window);
  return page;
};

/** Creates `window.scenario` in the page: a store and its remote persister. */
const createInPage = (page: Page, url: string, intervalSeconds = 0.05) =>
  page.evaluate(
    ([url, intervalSeconds]) => {
      const errors: string[] = [];
      const store = window.x.createStore();
      const persister = window.x.createRemotePersister(
        store,
        url,
        url,
        intervalSeconds,
        (error: unknown) => errors.push(String(error)),
        {
          retry: {initialDelayMs: 5, maxDelayMs: 50},
          headers: {Authorization: 'Bearer k'},
        },
      );
      window.scenario = {store, persister, errors};
    },
    [url, intervalSeconds] as const,
  );

it('runs in Chromium on another origin: saves, revalidates with a 304, recovers from a 412', async () => {
  const server = await startReferenceServer({token: 'k'});
  cleanUps.push(() => server.close());
  const url = `${server.url}/stores/page`;
  const page = await openPage();
  await createInPage(page, url);

  const afterRevalidation = await page.evaluate(async () => {
    const {store, persister} = window.scenario;
    await persister.load([{}, {from: 'page'}]);
    await persister.save();
    store.setValue('unsaved', true);
    await persister.load(); // the server answers 304: the kept content applies
    return store.getContent();
  });
  // The unsaved local change stays on top of what the 304 stood for.
  expect(afterRevalidation).toEqual([{}, {from: 'page', unsaved: true}]);
  expect(await readRemote(url, 'k')).toEqual([{}, {from: 'page'}]);

  await page.evaluate(() => window.scenario.persister.startAutoPersisting());
  // Another client writes; the page's next save is refused (If-Match), reloads and merges.
  const other = await request(url, {
    method: 'POST',
    headers: {'content-type': 'application/json', authorization: 'Bearer k'},
    body: JSON.stringify([{}, {from: 'page', other: 1}]),
  });
  await other.body.dump();
  expect(other.statusCode).toBe(204);
  await page.evaluate(() => window.scenario.store.setValue('mine', 2));
  await waitFor(async () => (await readRemote(url, 'k'))?.[1].mine === 2, 5_000, 'the merged save');
  expect(await readRemote(url, 'k')).toEqual([{}, {from: 'page', other: 1, mine: 2}]);
  await waitFor(
    async () => (await page.evaluate(() => window.scenario.store.getValue('other'))) === 1,
    5_000,
    'the page to hold the other write',
  );
  const errors = await page.evaluate(async () => {
    const {persister, errors} = window.scenario;
    await persister.destroy();
    return errors;
  });
  expect(errors).toEqual([]);
});

it('is refused by the browser when the server does not allow the page origin', async () => {
  const server = await startReferenceServer({token: 'k', corsOrigin: 'https://elsewhere.example'});
  cleanUps.push(() => server.close());
  const page = await openPage();
  await createInPage(page, `${server.url}/stores/page`);
  const result = await page.evaluate(async () => {
    const {store, persister, errors} = window.scenario;
    store.setValue('kept', true);
    await persister.load();
    return {values: store.getValues(), errors};
  });
  expect(result.values).toEqual({kept: true});
  expect(result.errors[0]).toMatch(/^Error: GET http:\/\/127\.0\.0\.1:\d+\/stores\/page failed/);
});

it('in Chromium on another origin: hears changes on the stream and saves with PATCH', async () => {
  const server = await startReferenceServer({token: 'k'});
  cleanUps.push(() => server.close());
  const url = `${server.url}/stores/pushed`;
  const auth = {authorization: 'Bearer k'};
  const created = await request(url, {
    method: 'POST',
    headers: {'content-type': 'application/json', ...auth},
    body: '[{},{"n":0}]',
  });
  await created.body.dump();
  // What the server streams, as another client would see it.
  const events: {etag: string | null; changes?: unknown}[] = [];
  const stream = await request(`${url}/events`, {headers: auth});
  cleanUps.push(async () => stream.body.destroy());
  stream.body.on('data', (chunk: Buffer) => {
    for (const match of String(chunk).matchAll(/^data: (.*)$/gm)) {
      events.push(JSON.parse(match[1]!));
    }
  });

  const page = await openPage();
  // Polls every 60 s: within the test only the stream can bring changes.
  await createInPage(page, url, 60);
  await page.evaluate(() => window.scenario.persister.startAutoPersisting());
  await page.waitForTimeout(300);
  const patched = await request(url, {
    method: 'PATCH',
    headers: {
      'content-type': 'application/x-store-changes+json',
      'if-match': created.headers.etag as string,
      ...auth,
    },
    body: '[{},{"n":[1]},1]',
  });
  await patched.body.dump();
  expect(patched.statusCode).toBe(204);
  await waitFor(
    async () => (await page.evaluate(() => window.scenario.store.getValue('n'))) === 1,
    5_000,
    'the page to hear the change',
  );
  await page.evaluate(() => window.scenario.store.setValue('fromPage', true));
  await waitFor(
    () => events.some((event) => JSON.stringify(event.changes) === '[{},{"fromPage":[true]},1]'),
    5_000,
    "the page's PATCH",
  );
  expect(await readRemote(url, 'k')).toEqual([{}, {n: 1, fromPage: true}]);
  const errors = await page.evaluate(async () => {
    const {persister, errors} = window.scenario;
    await persister.destroy();
    return errors;
  });
  expect(errors).toEqual([]);
});
