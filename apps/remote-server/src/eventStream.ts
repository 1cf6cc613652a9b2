// The change stream of one document: Server-Sent Events on GET /stores/:id/events.
// The first event tells the current version (so that a client that reconnects
// knows whether it missed something); then one event per committed write.
import type {IncomingMessage, ServerResponse} from 'node:http';
import {changesToJson} from './changesJson';
import type {ChangeEvent, DocumentStore} from './documentStore';

/** The default interval of the keep-alive comments: 15 s. */
export const DEFAULT_HEARTBEAT_MS = 15_000;

const eventText = (etag: string | undefined, event?: ChangeEvent): string => {
  const fields = [`"etag":${JSON.stringify(etag ?? null)}`];
  if (event !== undefined) fields.push(`"previous":${JSON.stringify(event.previous ?? null)}`);
  if (event?.changes !== undefined) fields.push(`"changes":${changesToJson(event.changes)}`);
  return `event: change\ndata: {${fields.join(',')}}\n\n`;
};

/**
 * Answers `request` with the change stream of document `id` and keeps it open
 * until the client leaves or `response.end()` is called (server shutdown, lost
 * database feed). Events are `change` with JSON data `{etag, previous?,
 * changes?}`; `etag` is `null` while the document does not exist. A comment
 * line every `heartbeatMs` keeps proxies from closing an idle stream.
 *
 * @example
 * serveEvents(request, response, 'todos', store, 15_000);
 */
export const serveEvents = async (
  request: IncomingMessage,
  response: ServerResponse,
  id: string,
  store: DocumentStore,
  heartbeatMs: number,
): Promise<void> => {
  // Subscribe before reading the current version: no write falls in between.
  const queued: ChangeEvent[] = [];
  let started = false;
  const unsubscribe = await store.subscribe(id, (event) => {
    if (!started) queued.push(event);
    else response.write(eventText(event.etag, event));
  });
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  const stop = () => {
    unsubscribe();
    clearInterval(heartbeat);
  };
  response.on('close', stop);
  if (response.destroyed) return stop();
  let etag: string | undefined;
  try {
    etag = await store.readEtag(id);
  } catch (error) {
    stop();
    throw error;
  }
  if (response.destroyed) return stop();
  response.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache',
    'X-Accel-Buffering': 'no',
  });
  response.flushHeaders();
  request.socket.setNoDelay(true);
  response.write(`retry: 1000\n${eventText(etag)}`);
  started = true;
  for (const event of queued) response.write(eventText(event.etag, event));
  heartbeat = setInterval(() => response.write(': ping\n\n'), heartbeatMs);
  heartbeat.unref?.();
};
