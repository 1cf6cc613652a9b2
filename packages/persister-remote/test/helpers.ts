// Real servers on 127.0.0.1 for the tests: the reference server (from the
// remote-server app) on a fresh data folder, and small raw servers for the
// answers the reference server never gives (garbage, no ETags, hangs).

import {mkdtemp, rm} from 'node:fs/promises';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {PersistedContent} from '@x/persister';
import {createServer, type ServerOptions} from 'remote-server';
import {afterEach} from 'vitest';

export type ReferenceServer = {url: string; close(): Promise<void>};

export const startReferenceServer = async (
  options: Partial<ServerOptions> = {},
): Promise<ReferenceServer> => {
  const dataDir = await mkdtemp(join(tmpdir(), 'persister-remote-'));
  const server = createServer({dataDir, ...options});
  const url = await server.listen(0, '127.0.0.1');
  return {
    url,
    close: async () => {
      await server.close();
      await rm(dataDir, {recursive: true, force: true});
    },
  };
};

export type RawServer = {url: string; close(): Promise<void>};

export const startRawServer = async (
  handler: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<RawServer> => {
  const server = createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};

/**
 * Reads a document straight from the server (no persister): `undefined` on 404;
 * a versioned document comes with its third element, `{version}`.
 */
export const readRemote = async (
  url: string,
  token?: string,
): Promise<PersistedContent | undefined> => {
  const response = await fetch(url, {
    headers: token === undefined ? {} : {Authorization: `Bearer ${token}`},
  });
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
  return (await response.json()) as PersistedContent;
};

/** Writes a document (with its `{version}`, if any) straight to the server, unconditionally. */
export const writeRemote = async (url: string, content: PersistedContent): Promise<void> => {
  const response = await fetch(url, {
    method: 'POST',
    headers: {'Content-Type': 'application/json'},
    body: JSON.stringify(content),
  });
  if (!response.ok) throw new Error(`POST ${url}: ${response.status}`);
};

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `check` holds, polling every 20 ms, for at most `timeoutMs`. */
export const waitFor = async (
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what = 'the condition',
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
};

/** Small retry delays so that fault tests take seconds. */
export const FAST_RETRY = {retry: {initialDelayMs: 5, maxDelayMs: 50}};

/** Whether two contents are equal, whatever their key order. */
export {sameContent} from '@x/persister';

/**
 * What a test starts (servers, proxies, persisters) and must stop: push a
 * clean-up; after each test they run, newest first.
 */
export const cleanUpAfterEach = (): (() => Promise<unknown>)[] => {
  const cleanUps: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
  });
  return cleanUps;
};
