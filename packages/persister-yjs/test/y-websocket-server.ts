// A real y-websocket server on 127.0.0.1 and an ephemeral port, for the network tests.
import {once} from 'node:events';
import type {AddressInfo} from 'node:net';
import {setupWSConnection} from '@y/websocket-server/utils';
import {WebSocketServer} from 'ws';

export type YServer = {url: string; close(): Promise<void>};

/** Starts the server; each URL path is one shared doc ("room"). */
export const startYServer = async (): Promise<YServer> => {
  const wss = new WebSocketServer({host: '127.0.0.1', port: 0});
  wss.on('connection', (socket, request) => setupWSConnection(socket, request));
  await once(wss, 'listening');
  const {port} = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of wss.clients) {
        socket.terminate();
      }
      await new Promise<void>((resolve, reject) =>
        wss.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
};
