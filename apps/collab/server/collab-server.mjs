// @ts-check
// One Node process for the shared list: serves the built page (dist/) over HTTP
// and runs a y-websocket server on the same port, under /yjs/<room>.
import {once} from 'node:events';
import {readFile} from 'node:fs/promises';
import {createServer} from 'node:http';
import {extname, join, normalize, resolve, sep} from 'node:path';
import {fileURLToPath} from 'node:url';
import {setupWSConnection} from '@y/websocket-server/utils';
import {WebSocketServer} from 'ws';

/** Where `vite build` puts the page. */
export const DEFAULT_STATIC_DIR = fileURLToPath(new URL('../dist', import.meta.url));

/** The URL path prefix of the y-websocket rooms. */
export const YJS_PATH = '/yjs/';

/** @type {{[extension: string]: string}} */
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.map': 'application/json',
};

/**
 * Starts the server.
 * @param {{port?: number, host?: string, staticDir?: string}} [options]
 *   `port` 0 picks a free one; `host` is 127.0.0.1 unless given.
 * @returns {Promise<{url: string, close(): Promise<void>}>}
 * @example
 * const server = await startCollabServer({port: 1234});
 * console.log(server.url); // -> http://127.0.0.1:1234
 * await server.close();
 */
export const startCollabServer = async ({
  port = 1234,
  host = '127.0.0.1',
  staticDir = DEFAULT_STATIC_DIR,
} = {}) => {
  const root = resolve(staticDir);
  const http = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    if (file !== root && !file.startsWith(root + sep)) {
      response.writeHead(403).end('forbidden');
      return;
    }
    try {
      const body = await readFile(file);
      response.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-cache',
      });
      response.end(body);
    } catch {
      response.writeHead(404, {'content-type': 'text/plain'}).end('not found');
    }
  });
  const wss = new WebSocketServer({noServer: true});
  http.on('upgrade', (request, socket, head) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    if (!path.startsWith(YJS_PATH) || path.length === YJS_PATH.length) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) =>
      setupWSConnection(ws, request, {docName: path.slice(YJS_PATH.length)}),
    );
  });
  http.listen(port, host);
  await once(http, 'listening');
  const address = /** @type {import('node:net').AddressInfo} */ (http.address());
  return {
    url: `http://${host}:${address.port}`,
    close: async () => {
      for (const ws of wss.clients) {
        ws.terminate();
      }
      wss.close();
      http.closeAllConnections();
      await new Promise((done) => http.close(done));
    },
  };
};
