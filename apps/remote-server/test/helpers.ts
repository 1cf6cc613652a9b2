// A real server on 127.0.0.1 with a fresh data folder, and undici helpers.
import {mkdir, mkdtemp, rm} from 'node:fs/promises';
import {request} from 'node:http';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Readable} from 'node:stream';
import pg from 'pg';
import {Client} from 'undici';
import {createServer, type RemoteServer, type ServerOptions} from '../src/index';

export type Running = {
  url: string;
  /** A fresh temporary folder holding only `dataDir`. */
  root: string;
  /** `<root>/data`. */
  dataDir: string;
  server: RemoteServer;
  errors: unknown[];
  /** Closes the server and starts a new one on the same data folder. */
  restart(): Promise<void>;
  /** Closes the server and removes the data folder. */
  destroy(): Promise<void>;
};

export const startServer = async (options: Partial<ServerOptions> = {}): Promise<Running> => {
  const root = await mkdtemp(join(tmpdir(), 'remote-server-'));
  const dataDir = join(root, 'data');
  await mkdir(dataDir);
  const errors: unknown[] = [];
  const start = async () => {
    const server = createServer({dataDir, onError: (error) => errors.push(error), ...options});
    return {server, url: await server.listen(0, '127.0.0.1')};
  };
  const running: Running = {
    ...(await start()),
    root,
    dataDir,
    errors,
    restart: async () => {
      await running.server.close();
      Object.assign(running, await start());
    },
    destroy: async () => {
      await running.server.close();
      await rm(root, {recursive: true, force: true});
    },
  };
  return running;
};

export type Reply = {status: number; headers: Record<string, string>; text: string};

/** One request through undici, the answer body read in full. */
export const send = async (
  url: string,
  init: {
    method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
    headers?: Record<string, string>;
    body?: string | Buffer | AsyncIterable<Buffer>;
  } = {},
): Promise<Reply> => {
  // undici's Client sends the path as given (request(url) would resolve `..`).
  const {origin, pathname, search} = new URL(url);
  const rawPath = url.slice(origin.length) || `${pathname}${search}`;
  const client = new Client(origin);
  try {
    const answer = await client.request({
      path: rawPath,
      method: init.method ?? 'GET',
      headers: init.headers,
      body:
        init.body === undefined || typeof init.body === 'string' || Buffer.isBuffer(init.body)
          ? init.body
          : Readable.from(init.body),
    });
    return {
      status: answer.statusCode,
      headers: headersOf(answer.headers),
      text: await answer.body.text(),
    };
  } finally {
    await client.close();
  }
};

const headersOf = (raw: Record<string, string | string[] | undefined>): Record<string, string> => {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
};

export const postJson = (
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> =>
  send(url, {
    method: 'POST',
    headers: {'content-type': 'application/json', ...headers},
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

/** A fresh, empty database in a private cluster, for one test. */
export const freshDatabase = async (clusterUrl: string): Promise<string> => {
  const name = `test_${process.pid}_${++databases}`;
  const client = new pg.Client({connectionString: clusterUrl});
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(clusterUrl);
  url.pathname = `/${name}`;
  return url.toString();
};
let databases = 0;

export const patchJson = (
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> =>
  send(url, {
    method: 'PATCH',
    headers: {'content-type': 'application/x-store-changes+json', ...headers},
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

/** The events of one stream, as they arrive, until `close()`. */
export const openEvents = (url: string, headers: Record<string, string> = {}) => {
  const events: {etag: string | null; previous?: string | null; changes?: unknown}[] = [];
  let status = 0;
  let closed = false;
  let destroy = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    const outgoing = request(url, {headers}, (incoming) => {
      status = incoming.statusCode ?? 0;
      let buffer = '';
      incoming.setEncoding('utf8');
      incoming.on('data', (chunk: string) => {
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block
            .split('\n')
            .filter((line) => line.startsWith('data: '))
            .map((line) => line.slice(6))
            .join('\n');
          if (data !== '') events.push(JSON.parse(data));
          end = buffer.indexOf('\n\n');
        }
      });
      incoming.on('end', () => (closed = true));
      incoming.on('error', () => (closed = true));
      resolve();
    });
    outgoing.on('error', reject);
    outgoing.end();
    destroy = () => outgoing.destroy();
  });
  return {events, ready, status: () => status, ended: () => closed, close: () => destroy()};
};
