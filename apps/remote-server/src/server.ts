// The HTTP layer: routes /stores/:id to the documents, with conditional
// requests, limits, CORS and the optional token.
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type {AddressInfo} from 'node:net';
import {validateContent} from '@x/persister';
import type {Content} from '@x/store';
import {hasBearerToken} from './auth';
import {ifMatchPasses, ifNoneMatchMatches} from './conditions';
import {ALLOWED_METHODS, setCorsHeaders, setPreflightHeaders} from './cors';
import {isDocumentId} from './documentId';
import {createDocuments, type DocumentVersion} from './documents';
import {readBody} from './readBody';

/** The default body limit: 1 MiB. */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

export type ServerOptions = {
  /** The folder holding one `<id>.json` file per document (must exist). */
  dataDir: string;
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

const isJsonMediaType = (header: string | undefined): boolean =>
  (header ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';

const utf8 = new TextDecoder('utf-8', {fatal: true});

/** Parses and validates a body; a string is the reason it is refused. */
const parseContent = (body: Buffer): Content | string => {
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
    return validateContent(value);
  } catch (error) {
    return `the body is not [tables, values]: ${(error as Error).message}`;
  }
};

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
 * at `/stores/:id` (`GET`, `HEAD`, `POST`, `OPTIONS`) and on disk as
 * `<dataDir>/<id>.json`, kept by an `@x/store` and an `@x/persister-file`.
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
  const documents = createDocuments(options.dataDir, onError);
  const inFlight = new Set<ServerResponse>();
  let closing: Promise<void> | undefined;
  let allSettled: (() => void) | undefined;

  const getDocument = async (
    request: IncomingMessage,
    response: ServerResponse,
    id: string,
  ): Promise<void> => {
    const version = await documents.read(id);
    if (version === undefined) return sendError(response, 404, `no document "${id}"`);
    const etag = {ETag: version.etag, 'Cache-Control': 'no-cache'};
    const ifMatch = request.headers['if-match'];
    if (ifMatch !== undefined && !ifMatchPasses(ifMatch, version.etag)) {
      return sendError(response, 412, 'If-Match does not match the current version', etag);
    }
    const ifNoneMatch = request.headers['if-none-match'];
    if (ifNoneMatch !== undefined && ifNoneMatchMatches(ifNoneMatch, version.etag)) {
      return send(response, 304, undefined, etag);
    }
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
    if (!isJsonMediaType(request.headers['content-type'])) {
      return sendError(response, 415, 'Content-Type must be application/json');
    }
    const result = await readBody(request, bodyLimitBytes);
    if (result === 'too-large') {
      // The rest of the body is not read: close the connection after answering.
      return sendError(response, 413, `the body is larger than ${bodyLimitBytes} bytes`, {
        Connection: 'close',
      });
    }
    const content = parseContent(result.body);
    if (typeof content === 'string') return sendError(response, 400, content);
    const written = await documents.write(id, content, (current) => writeAllowed(request, current));
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
    const id = path.slice(STORES_PREFIX.length);
    if (!isDocumentId(id)) {
      return sendError(response, 400, 'a document id is 1 to 128 of A-Z a-z 0-9 _ -');
    }
    switch (request.method) {
      case 'GET':
      case 'HEAD':
        return getDocument(request, response, id);
      case 'POST':
        return postDocument(request, response, id);
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
      if (!response.headersSent) sendError(response, 500, 'internal error');
      else response.destroy();
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
        if (inFlight.size > 0) await new Promise<void>((resolve) => (allSettled = resolve));
        await documents.close();
        httpServer.closeAllConnections();
        await stopped;
      })();
      return closing;
    },
  };
};
