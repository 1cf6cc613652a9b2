// A loopback HTTP proxy between a client and the real server, which records
// every exchange and can fail, reset, delay or stall a share of them. Faults
// follow a fixed schedule (spread evenly, kinds in turn), so that a run is
// reproducible and the share holds over any stretch of requests.
import {
  createServer,
  request as forward,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type {AddressInfo} from 'node:net';

export type Fault = 'none' | 'fail' | 'reset-before' | 'reset-after' | 'delay' | 'stall';

export type Exchange = {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  fault: Fault;
  /** The status the server answered (undefined when it never got the request). */
  status?: number;
};

export type ProxyOptions = {
  /** Share of requests that get a fault, 0 to 1, spread evenly. Default 0. */
  faultRate?: number;
  /** How long a `delay` fault holds the answer. Default 60 ms. */
  delayMs?: number;
  /** How long a `stall` fault holds the request (longer than the client's timeout). */
  stallMs?: number;
};

const FAULTS: Fault[] = ['fail', 'reset-before', 'reset-after', 'delay', 'stall'];

const readAll = async (request: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

export type FaultyProxy = {
  url: string;
  exchanges: Exchange[];
  /** Changes the share of faulty requests from now on. */
  setFaultRate(rate: number): void;
  /** Answers the next `count` GET requests with an injected 503. */
  failNextGets(count: number): void;
  /** Cuts every change stream passing through, and refuses new ones while `open` is false. */
  cutStreams(open: boolean): void;
  /** How many change streams pass through now. */
  streamCount(): number;
  /** Stops passing data on the open change streams, keeping their connections open (a silent network). */
  stallStreams(): void;
  close(): Promise<void>;
};

/**
 * Starts a proxy on 127.0.0.1 in front of `target` (e.g. `http://127.0.0.1:1234`).
 * Faults: `fail` answers 503 without asking the server; `reset-before` drops the
 * connection before the server sees the request; `reset-after` lets the server
 * handle it, then drops the connection before the client gets the answer;
 * `delay` holds the answer; `stall` holds the request longer than the client waits.
 */
export const startFaultyProxy = async (
  target: string,
  options: ProxyOptions = {},
): Promise<FaultyProxy> => {
  let requests = 0;
  let faults = 0;
  let getsToFail = 0;
  let faultRate = options.faultRate ?? 0;
  const delayMs = options.delayMs ?? 60;
  const stallMs = options.stallMs ?? 1_000;
  const exchanges: Exchange[] = [];
  const targetUrl = new URL(target);
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const streams = new Set<{upstream: IncomingMessage; downstream: ServerResponse}>();
  let streamsOpen = true;

  /** Change streams pass through as they flow: never recorded, never faulted. */
  const pipeStream = (request: IncomingMessage, response: ServerResponse) => {
    if (!streamsOpen) {
      response.writeHead(503, {'Content-Type': 'text/plain'}).end('proxy: streams are cut');
      return;
    }
    const upstream = forward(target + (request.url ?? '/'), {
      method: request.method,
      headers: {...request.headers, host: targetUrl.host},
    });
    upstream.on('response', (answer) => {
      const stream = {upstream: answer, downstream: response};
      streams.add(stream);
      answer.on('close', () => streams.delete(stream));
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      response.flushHeaders();
      answer.pipe(response);
      response.on('close', () => answer.destroy());
    });
    upstream.on('error', () => {
      if (!response.destroyed) response.destroy();
    });
    upstream.end();
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    if ((request.url ?? '').endsWith('/events')) return pipeStream(request, response);
    const body = await readAll(request);
    // Request n is faulty when floor(n * rate) steps up: exactly floor(N * rate) of N.
    const index = requests++;
    const faulty = Math.floor((index + 1) * faultRate) > Math.floor(index * faultRate);
    let fault: Fault = faulty ? FAULTS[faults++ % FAULTS.length]! : 'none';
    if (request.method === 'GET' && getsToFail > 0) {
      getsToFail--;
      fault = 'fail';
    }
    const exchange: Exchange = {
      method: request.method ?? 'GET',
      path: request.url ?? '/',
      headers: request.headers,
      body: body.toString('utf8'),
      fault,
    };
    exchanges.push(exchange);
    if (fault === 'fail') {
      response.writeHead(503, {'Content-Type': 'text/plain'}).end('proxy: injected failure');
      return;
    }
    if (fault === 'reset-before') {
      request.socket.resetAndDestroy();
      return;
    }
    if (fault === 'stall') await sleep(stallMs);
    const headers = {...request.headers, host: targetUrl.host};
    const upstream = forward(target + exchange.path, {method: exchange.method, headers});
    upstream.on('response', async (answer) => {
      const answerBody = await readAll(answer);
      exchange.status = answer.statusCode;
      if (fault === 'reset-after') {
        request.socket.resetAndDestroy();
        return;
      }
      if (fault === 'delay') await sleep(delayMs);
      if (response.destroyed) return;
      response.writeHead(answer.statusCode ?? 502, answer.headers).end(answerBody);
    });
    upstream.on('error', () => {
      if (!response.destroyed) response.writeHead(502).end();
    });
    upstream.end(body);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    exchanges,
    setFaultRate: (rate) => {
      faultRate = rate;
    },
    failNextGets: (count) => {
      getsToFail = count;
    },
    cutStreams: (open) => {
      streamsOpen = open;
      // Both sides, as a proxy or a network that drops connections does.
      for (const stream of streams) {
        stream.downstream.destroy();
        stream.upstream.destroy();
      }
    },
    streamCount: () => streams.size,
    stallStreams: () => {
      for (const stream of streams) {
        stream.upstream.unpipe(stream.downstream);
        stream.upstream.pause();
      }
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
