// The HTTP layer: routes /stores/:id (and /stores/:id/events) to the document
// store, with conditional requests, limits, CORS and the optional token.
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type {AddressInfo} from 'node:net';
import type {Changes} from '@x/store';
import {hasBearerToken} from './auth';
import {CHANGES_MEDIA_TYPE, changesFromJson} from './changesJson';
import {ifMatchPasses, ifNoneMatchMatches} from './conditions';
import {ALLOWED_METHODS, setCorsHeaders, setPreflightHeaders} from './cors';
import {validateDocument} from './documentContent';
import {isDocumentId} from './documentId';
import {
  type DocumentStore,
  type DocumentUpdate,
  type DocumentVersion,
  StoreUnavailableError,
} from './documentStore';
import {type CacheLimits, createDocuments, MissingDocumentError} from './documents';
import {DEFAULT_HEARTBEAT_MS, serveEvents} from './eventStream';
import {createPostgresDocuments} from './postgresDocuments';
import {readBody} from './readBody';

/** The default body limit: 1 MiB. */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;
/** The default bound on open event streams per instance. */
export const DEFAULT_MAX_EVENT_STREAMS = 10_000;

export type ServerOptions = {
  /** The folder holding one `<id>.json` file per document (must exist); ignored with `databaseUrl`. */
  dataDir?: string;
  /** `postgres://…`: keep the documents in PostgreSQL (several instances may share it). */
  databaseUrl?: string;
  /** Bounds of the file store's cache of open documents. */
  cache?: CacheLimits;
  /** Interval of the keep-alive comments on event streams. Default 15 s. */
  heartbeatMs?: number;
  /** More event streams at once get `503` (their clients poll). Default 10,000. */
  maxEventStreams?: number;
  /** Larger POST bodies get `413`. Default {@link DEFAULT_BODY_LIMIT_BYTES}. */
  bodyLimitBytes?: number;
  /** When set, every request but `OPTIONS` needs `Authorization: Bearer <token>`. */
  token?: string;
  /** `Access-Control-Allow-Origin` of every answer. Default `*`. */
  corsOrigin?: string;
  /** Hears unexpected errors (disk failures...). Default `console.error`. */
  onError?: (error: unknown) => void;
};

export type RemoteServer = {
  /** Starts listening; resolves to the base URL, e.g. `http://127.0.0.1:8080`. */
  listen(port?: number, host?: string): Promise<string>;
  /**
   * Graceful stop: refuses new requests, lets those in flight finish, flushes
   * every document to disk, then closes every connection.
   */
  close(): Promise<void>;
  /** The underlying Node server. */
  readonly httpServer: Server;
};

const STORES_PREFIX = '/stores/';
const EVENTS_SUFFIX = '/events';

const send = (
  response: ServerResponse,
  status: number,
  body?: string,
  headers: Record<string, string> = {},
): void => {
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  if (body === undefined) {
    response.writeHead(status).end();
    return;
  }
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  response.setHeader('Content-Length', Buffer.byteLength(body));
  response.writeHead(status).end(body);
};

const sendError = (
  response: ServerResponse,
  status: number,
  message: string,
  headers?: Record<string, string>,
): void => send(response, status, JSON.stringify({error: message}), headers);

const isMediaType = (header: string | undefined, type: string): boolean =>
  (header ?? '').split(';')[0]!.trim().toLowerCase() === type;

const utf8 = new TextDecoder('utf-8', {fatal: true});

/** Parses and validates a body; a string is the reason it is refused. */
const parseBody = <Parsed>(
  body: Buffer,
  validate: (value: unknown) => Parsed,
  shape: string,
): Parsed | string => {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return 'the body is not valid UTF-8';
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `the body is not JSON: ${(error as Error).message}`;
  }
  try {
    return validate(value);
  } catch (error) {
    return `the body is not ${shape}: ${(error as Error).message}`;
  }
};

/** The store the options ask for: PostgreSQL with `databaseUrl`, else files in `dataDir`. */
const openStore = (options: ServerOptions, onError: (error: unknown) => void): DocumentStore => {
  if (options.databaseUrl !== undefined) {
    return createPostgresDocuments(options.databaseUrl, onError);
  }
  if (options.dataDir === undefined)
    throw new TypeError('createServer needs dataDir or databaseUrl');
  return createDocuments(options.dataDir, onError, options.cache);
};

/** Headers of every GET answer: the PATCH format accepted and where the change stream is. */
const capabilityHeaders = (id: string): Record<string, string> => ({
  'Accept-Patch': CHANGES_MEDIA_TYPE,
  Link: `<${STORES_PREFIX}${id}/events>; rel="alternate"; type="text/event-stream"`,
});

/** Whether the conditional headers of a write allow it against `current`. */
const writeAllowed = (request: IncomingMessage, current: DocumentVersion | undefined): boolean => {
  const ifMatch = request.headers['if-match'];
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifMatch !== undefined && !ifMatchPasses(ifMatch, current?.etag)) return false;
  if (ifNoneMatch !== undefined && ifNoneMatchMatches(ifNoneMatch, current?.etag)) return false;
  return true;
};

/**
 * Creates the reference server for `@x/persister-remote`. Each document lives
 * at `/stores/:id` (`GET`, `HEAD`, `POST`, `PATCH`, `OPTIONS`), its change
 * stream at `/stores/:id/events`; documents are kept on disk as
 * `<dataDir>/<id>.json` (an `@x/store` and an `@x/persister-file` each), or in
 * PostgreSQL with `databaseUrl`.
 *
 * @example
 * const server = createServer({dataDir: '/tmp/data', token: 's3cret'});
 * const url = await server.listen(8080, '127.0.0.1');
 * // ... later
 * await server.close();
 */
export const createServer = (options: ServerOptions): RemoteServer => {
  const bodyLimitBytes = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const corsOrigin = options.corsOrigin ?? '*';
  const onError = options.onError ?? ((error: unknown) => console.error(error));
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const maxEventStreams = options.maxEventStreams ?? DEFAULT_MAX_EVENT_STREAMS;
  const documents = openStore(options, onError);
  const inFlight = new Set<ServerResponse>();
  // Open event streams: they last until the client leaves, so close() ends them.
  const streams = new Set<ServerResponse>();
  // Without a change feed, the streams would stay silent: end them, clients poll.
  documents.onFeedLost(() => {
    for (const stream of streams) stream.end();
  });
  let closing: Promise<void> | undefined;
  let allSettled: (() => void) | undefined;

  const getDocument = async (
    request: IncomingMessage,
    response: ServerResponse,
    id: string,
  ): Promise<void> => {
    for (const [name, value] of Object.entries(capabilityHeaders(id))) {
      response.setHeader(name, value);
    }
    // The ETag alone first: a revalidation (304) never needs the content.
    const currentEtag = await documents.readEtag(id);
    if (currentEtag === undefined) return sendError(response, 404, `no document "${id}"`);
    const etag = {ETag: currentEtag, 'Cache-Control': 'no-cache'};
    const ifMatch = request.headers['if-match'];
    if (ifMatch !== undefined && !ifMatchPasses(ifMatch, currentEtag)) {
      return sendError(response, 412, 'If-Match does not match the current version', etag);
    }
    const ifNoneMatch = request.headers['if-none-match'];
    if (ifNoneMatch !== undefined && ifNoneMatchMatches(ifNoneMatch, currentEtag)) {
      return send(response, 304, undefined, etag);
    }
    const version = await documents.read(id);
    if (version === undefined) return sendError(response, 404, `no document "${id}"`);
    etag.ETag = version.etag;
    if (request.method === 'HEAD') {
      return send(response, 200, undefined, {
        ...etag,
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': String(Buffer.byteLength(version.json)),
      });
    }
    send(response, 200, version.json, etag);
  };

  const postDocument = async (
    request: IncomingMessage,
    response: ServerResponse,
    id: string,
  ): Promise<void> => {
    if (!isMediaType(request.headers['content-type'], 'application/json')) {
      return sendError(response, 415, 'Content-Type must be application/json');
    }
    const content = await readUpdate(
      request,
      response,
      validateDocument,
      '[tables, values] or [tables, values, {version}]',
    );
    if (content !== undefined) await writeDocument(request, response, id, {content});
  };

  /** Reads and parses a write's body; answers 413 or 400 itself (then `undefined`). */
  const readUpdate = async <Parsed>(
    request: IncomingMessage,
    response: ServerResponse,
    validate: (value: unknown) => Parsed,
    shape: string,
  ): Promise<Parsed | undefined> => {
    const result = await readBody(request, bodyLimitBytes);
    if (result === 'too-large') {
      // The rest of the body is not read: close the connection after answering.
      sendError(response, 413, `the body is larger than ${bodyLimitBytes} bytes`, {
        Connection: 'close',
      });
      return undefined;
    }
    const parsed = parseBody(result.body, validate, shape);
    if (typeof parsed === 'string') {
      sendError(response, 400, parsed);
      return undefined;
    }
    return parsed;
  };

  const patchDocument = async (
    request: IncomingMessage,
    response: ServerResponse,
    id: string,
  ): Promise<void> => {
    if (!isMediaType(request.headers['content-type'], CHANGES_MEDIA_TYPE)) {
      return sendError(response, 415, `Content-Type must be ${CHANGES_MEDIA_TYPE}`, {
        'Accept-Patch': CHANGES_MEDIA_TYPE,
      });
    }
    // Changes are relative to a version: without one named, they could land anywhere.
    if (request.headers['if-match'] === undefined) {
      return sendError(response, 428, 'a PATCH needs If-Match with the ETag it applies to');
    }
    const changes = await readUpdate<Changes>(
      request,
      response,
      changesFromJson,
      '[tables, values, 1] changes',
    );
    if (changes !== undefined) await writeDocument(request, response, id, {changes});
  };

  const writeDocument = async (
    request: IncomingMessage,
    response: ServerResponse,
    id: string,
    update: DocumentUpdate,
  ): Promise<void> => {
    const written = await documents
      .write(id, update, (current) => writeAllowed(request, current))
      .catch((error: unknown) => {
        if (error instanceof MissingDocumentError) return undefined;
        throw error;
      });
    if (written === undefined) {
      const current = await documents.read(id);
      return sendError(
        response,
        412,
        'the document changed: reload it and try again',
        current === undefined ? {} : {ETag: current.etag},
      );
    }
    send(response, 204, undefined, {ETag: written.version.etag});
  };

  const route = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    setCorsHeaders(response, corsOrigin);
    if (closing !== undefined) {
      return sendError(response, 503, 'the server is shutting down', {Connection: 'close'});
    }
    const path = (request.url ?? '/').split('?')[0]!;
    if (request.method === 'OPTIONS') {
      setPreflightHeaders(response);
      return send(response, 204);
    }
    if (
      options.token !== undefined &&
      !hasBearerToken(request.headers.authorization, options.token)
    ) {
      return sendError(response, 401, 'a valid bearer token is required', {
        'WWW-Authenticate': 'Bearer realm="remote-server"',
      });
    }
    if (!path.startsWith(STORES_PREFIX)) return sendError(response, 404, 'not found');
    const rest = path.slice(STORES_PREFIX.length);
    const isEvents = rest.endsWith(EVENTS_SUFFIX);
    const id = isEvents ? rest.slice(0, -EVENTS_SUFFIX.length) : rest;
    if (!isDocumentId(id)) {
      return sendError(response, 400, 'a document id is 1 to 128 of A-Z a-z 0-9 _ -');
    }
    if (isEvents) {
      if (request.method !== 'GET') {
        return sendError(response, 405, `${request.method} is not allowed`, {
          Allow: 'GET, OPTIONS',
        });
      }
      if (streams.size >= maxEventStreams) {
        return sendError(response, 503, 'too many event streams: poll instead', {
          'Retry-After': '30',
        });
      }
      // A stream lasts: it is not a request in flight that close() waits for.
      inFlight.delete(response);
      streams.add(response);
      response.on('close', () => streams.delete(response));
      return serveEvents(request, response, id, documents, heartbeatMs);
    }
    switch (request.method) {
      case 'GET':
      case 'HEAD':
        return getDocument(request, response, id);
      case 'POST':
        return postDocument(request, response, id);
      case 'PATCH':
        return patchDocument(request, response, id);
      default:
        return sendError(response, 405, `${request.method} is not allowed`, {
          Allow: ALLOWED_METHODS,
        });
    }
  };

  const httpServer = createHttpServer((request, response) => {
    inFlight.add(response);
    response.on('close', () => {
      inFlight.delete(response);
      if (inFlight.size === 0) allSettled?.();
    });
    route(request, response).catch((error: unknown) => {
      onError(error);
      if (response.headersSent) response.destroy();
      else if (error instanceof StoreUnavailableError) {
        // Nothing was committed: the client may retry.
        sendError(response, 503, 'the document store is unavailable', {'Retry-After': '1'});
      } else sendError(response, 500, 'internal error');
    });
  });

  return {
    httpServer,
    listen: (port = 0, host = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          httpServer.off('error', reject);
          const address = httpServer.address() as AddressInfo;
          const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          resolve(`http://${shownHost}:${address.port}`);
        });
      }),
    close: () => {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        httpServer.closeIdleConnections();
        for (const stream of streams) stream.end();
        if (inFlight.size > 0) await new Promise<void>((resolve) => (allSettled = resolve));
        await documents.close();
        httpServer.closeAllConnections();
        await stopped;
      })();
      return closing;
    },
  };
};
