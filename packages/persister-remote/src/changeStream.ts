// The client side of a server's change stream (Server-Sent Events read
// through fetch, so that it can send headers such as Authorization, in
// browsers and Node alike). While the stream is live, autoload needs no
// polling; when it drops, polling takes over until it is back.

/** One `change` event: the new ETag (`null`: no document), the one it replaced, the PATCH's changes. */
export type StreamEvent = {etag: string | null; previous?: string | null; changes?: unknown};

export type ChangeStreamOptions = {
  /** Where the stream is (read at each connection attempt); `undefined`: not offered. */
  url: () => string | undefined;
  headers: () => Record<string, string>;
  /** Aborting it ends the stream for good. */
  signal: AbortSignal;
  /** A stream silent for longer (not even a keep-alive comment) counts as dropped. */
  idleTimeoutMs: number;
  /** Wait before the first reconnection; doubles with each failure, up to 30 s. */
  retryDelayMs: number;
  /** The data of each `change` event, unparsed (the caller reports garbage). */
  onEvent: (data: string) => void;
  /** Called when a live stream drops or an attempt fails (polling is on again). */
  onDown: (error: unknown) => void;
};

export type ChangeStream = {
  /** Whether events arrive now (then polling can rest). */
  isLive(): boolean;
  /** Connects unless live, connecting, waiting to retry or not offered. */
  connect(): void;
};

const MAX_RETRY_DELAY_MS = 30_000;

/** Splits SSE text into events; returns the unfinished rest. */
const parseEvents = (text: string, onData: (type: string, data: string) => void): string => {
  const blocks = text.split(/\r\n\r\n|\n\n|\r\r/);
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let type = 'message';
    const data: string[] = [];
    for (const line of block.split(/\r\n|\n|\r/)) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') type = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length > 0) onData(type, data.join('\n'));
  }
  return rest;
};

/**
 * Creates the (not yet connected) change stream of one autoload.
 *
 * @example
 * const stream = createChangeStream({
 *   url: () => 'https://example.org/stores/todos/events',
 *   headers: () => ({}),
 *   signal: new AbortController().signal,
 *   idleTimeoutMs: 45_000,
 *   retryDelayMs: 1_000,
 *   onEvent: (data) => console.log(JSON.parse(data).etag),
 *   onDown: () => console.log('polling again'),
 * });
 * stream.connect();
 */
export const createChangeStream = (options: ChangeStreamOptions): ChangeStream => {
  let live = false;
  let connecting = false;
  let failures = 0;
  let retryAt = 0;

  const run = async (url: string): Promise<void> => {
    const controller = new AbortController();
    const abort = () => controller.abort();
    options.signal.addEventListener('abort', abort, {once: true});
    let idle: ReturnType<typeof setTimeout> | undefined;
    const resetIdle = () => {
      clearTimeout(idle);
      idle = setTimeout(abort, options.idleTimeoutMs);
    };
    try {
      resetIdle();
      const response = await fetch(url, {
        headers: {...options.headers(), Accept: 'text/event-stream'},
        signal: controller.signal,
        cache: 'no-store',
        redirect: 'manual',
      });
      const type = response.headers.get('Content-Type') ?? '';
      if (response.status !== 200 || !type.startsWith('text/event-stream') || !response.body) {
        await response.body?.cancel().catch(() => {});
        throw new Error(`GET ${url} answered ${response.status} ${type}, not an event stream`);
      }
      live = true;
      connecting = false;
      failures = 0;
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const {value, done} = await reader.read();
        if (done) break;
        resetIdle();
        buffer = parseEvents(buffer + decoder.decode(value, {stream: true}), (eventType, data) => {
          if (eventType !== 'change') return;
          options.onEvent(data);
        });
      }
      throw new Error(`GET ${url}: the event stream ended`);
    } finally {
      clearTimeout(idle);
      options.signal.removeEventListener('abort', abort);
      controller.abort();
    }
  };

  return {
    isLive: () => live,
    connect: () => {
      const url = options.url();
      if (live || connecting || url === undefined || options.signal.aborted) return;
      if (Date.now() < retryAt) return;
      connecting = true;
      run(url).catch((error: unknown) => {
        live = false;
        connecting = false;
        if (options.signal.aborted) return;
        failures++;
        retryAt =
          Date.now() + Math.min(MAX_RETRY_DELAY_MS, options.retryDelayMs * 2 ** (failures - 1));
        options.onDown(error);
      });
    },
  };
};
