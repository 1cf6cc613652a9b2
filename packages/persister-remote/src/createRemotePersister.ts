// A thin backend over createCustomPersister: it reads (GET), writes (POST)
// and listens (polling). The core owns queueing, coalescing, retries with
// backoff, conflict handling and validation reports.
import {
  canonicalJson,
  createCustomPersister,
  createErrorReporter,
  type LegacyContent,
  type OnIgnoredError,
  type Persister,
  PersisterConflictError,
  type PersisterListener,
  type PersisterOptions,
  validatePersisted,
} from '@x/persister';
import type {Content, Store} from '@x/store';
import {type Answer, request} from './request';

/** The options after `onIgnoredError`: the core's, plus the HTTP ones. */
export type RemotePersisterOptions = PersisterOptions & {
  /** A request (answer body included) taking longer is aborted and fails. Default 10 000. */
  requestTimeoutMs?: number;
  /**
   * Headers sent with every request, such as `{Authorization: 'Bearer …'}`,
   * or a function returning them (read before each request).
   */
  headers?: Record<string, string> | (() => Record<string, string>);
};

/** A Persister that also tells its URLs. */
export type RemotePersister = Persister & {
  /** `[loadUrl, saveUrl]`. */
  getUrls(): [loadUrl: string, saveUrl: string];
};

/** What this persister last knew of the remote document. */
type Known =
  | undefined // never read nor written
  | 'missing' // the server said 404
  | {etag: string | undefined; content: Content | LegacyContent; canonical: string};

type PollHandle = {controller: AbortController; timer: ReturnType<typeof setTimeout> | undefined};

const DEFAULT_TIMEOUT_MS = 10_000;

const isStrong = (etag: string): boolean => !etag.startsWith('W/');

const statusError = (method: string, url: string, answer: Answer): Error =>
  new Error(
    `${method} ${url} answered ${answer.status}${answer.text === '' ? '' : `: ${answer.text.slice(0, 200)}`}`,
  );

/**
 * Creates a Persister that keeps a store on an HTTP server: `GET loadUrl`
 * reads `[tables, values]` JSON, `POST saveUrl` writes it. Conditional
 * requests (`If-None-Match`, `If-Match`) use the server's ETags, so a write
 * never silently overwrites another client's: a `412` makes the persister
 * reload, re-apply its unsaved changes and save again. Autoload polls
 * `loadUrl` every `autoLoadIntervalSeconds`.
 *
 * @example
 * const store = createStore();
 * const persister = createRemotePersister(
 *   store,
 *   'https://example.org/stores/todos',
 *   'https://example.org/stores/todos',
 *   5,
 * );
 * await persister.startAutoPersisting([{todos: {}}, {}]);
 * store.setCell('todos', '1', 'title', 'Write the README');
 * await persister.destroy(); // resolves once the change is on the server
 */
export const createRemotePersister = (
  store: Store,
  loadUrl: string,
  saveUrl: string,
  autoLoadIntervalSeconds = 5,
  onIgnoredError?: OnIgnoredError,
  options: RemotePersisterOptions = {},
): RemotePersister => {
  if (!(Number.isFinite(autoLoadIntervalSeconds) && autoLoadIntervalSeconds > 0)) {
    throw new TypeError(
      `autoLoadIntervalSeconds must be a positive number, not ${String(autoLoadIntervalSeconds)}`,
    );
  }
  const {requestTimeoutMs = DEFAULT_TIMEOUT_MS, headers: extraHeaders, ...coreOptions} = options;
  const intervalMs = autoLoadIntervalSeconds * 1000;
  const report = createErrorReporter(onIgnoredError);
  const lifetime = new AbortController();
  let known: Known;
  // Polls must not apply an answer that a load or save overtook: every load
  // and save bumps `epoch` when it starts and ends, and counts in `busy`.
  let epoch = 0;
  let busy = 0;
  // The last getPersisted failed: the core's view of the document is stale.
  let lastReadFailed = false;

  const headersWith = (own: Record<string, string>): Record<string, string> => ({
    ...(typeof extraHeaders === 'function' ? extraHeaders() : extraHeaders),
    ...own,
  });

  /** Reads the document; `known` is left as it was (the caller commits). */
  const fetchRemote = async (
    signals: AbortSignal[],
  ): Promise<{known: Known; content: Content | LegacyContent | null; changed: boolean}> => {
    // A 304 is about the version this request named, whatever happens meanwhile.
    const sent = known;
    const answer = await request({
      method: 'GET',
      url: loadUrl,
      headers: headersWith({
        Accept: 'application/json',
        ...(typeof sent === 'object' && sent.etag !== undefined
          ? {'If-None-Match': sent.etag}
          : {}),
      }),
      timeoutMs: requestTimeoutMs,
      signals: [lifetime.signal, ...signals],
    });
    if (answer.status === 304 && typeof sent === 'object') {
      // Unchanged since we last read or wrote it: what we saw then is still current.
      return {known: sent, content: sent.content, changed: false};
    }
    if (answer.status === 404) return {known: 'missing', content: null, changed: false};
    if (answer.status < 200 || answer.status > 299) throw statusError('GET', loadUrl, answer);
    let content: Content | LegacyContent;
    try {
      // An HTML page (a login form, a captive portal) is not content, whatever its body.
      if (/html/i.test(answer.headers.get('Content-Type') ?? '')) {
        throw new Error(`its Content-Type is ${answer.headers.get('Content-Type')}`);
      }
      // `[tables]` (older versions, no values) is read too.
      content = validatePersisted(JSON.parse(answer.text));
    } catch (error) {
      throw new Error(
        `GET ${loadUrl} answered ${answer.status} with a body that is not [tables, values] JSON: ${
          (error as Error).message
        }`,
        {cause: error},
      );
    }
    const etag = answer.headers.get('ETag') ?? undefined;
    const canonical = canonicalJson(content);
    const changed =
      typeof sent !== 'object' ||
      (etag !== undefined ? etag !== sent.etag : canonical !== sent.canonical);
    return {known: {etag, content, canonical}, content, changed};
  };

  /** Runs a load or save so that polls in flight meanwhile drop their answers. */
  const tracked = async <Result>(action: () => Promise<Result>): Promise<Result> => {
    epoch++;
    busy++;
    try {
      return await action();
    } finally {
      busy--;
      epoch++;
    }
  };

  const getPersisted = () =>
    tracked(async () => {
      lastReadFailed = true;
      const result = await fetchRemote([]);
      lastReadFailed = false;
      known = result.known;
      return result.content;
    });

  const setPersisted = (getContent: () => Content) =>
    tracked(async () => {
      const content = getContent();
      // A document this client never read may exist: create it only if it does not.
      const condition: Record<string, string> =
        known === 'missing' || known === undefined
          ? {'If-None-Match': '*'}
          : typeof known === 'object' && known.etag !== undefined && isStrong(known.etag)
            ? {'If-Match': known.etag}
            : {};
      const answer = await request({
        method: 'POST',
        url: saveUrl,
        headers: headersWith({'Content-Type': 'application/json', ...condition}),
        body: JSON.stringify(content),
        timeoutMs: requestTimeoutMs,
        signals: [lifetime.signal],
        // A redirect (a proxy's or an expired session's login page) is a failed
        // save: following it would count the login page's 200 as "saved".
        redirect: 'manual',
      });
      if (answer.status === 412) throw new PersisterConflictError();
      if (answer.status < 200 || answer.status > 299) {
        throw answer.status === 0 || (answer.status >= 300 && answer.status < 400)
          ? new Error(
              `POST ${saveUrl} was redirected${answer.status === 0 ? '' : ` (${answer.status} to ${answer.headers.get('Location')})`}: not saved, the changes stay pending`,
            )
          : statusError('POST', saveUrl, answer);
      }
      known = {
        etag: answer.headers.get('ETag') ?? undefined,
        content,
        canonical: canonicalJson(content),
      };
    });

  const addPersisterListener = (listener: PersisterListener): PollHandle => {
    const handle: PollHandle = {controller: new AbortController(), timer: undefined};
    const {signal} = handle.controller;
    const poll = async () => {
      const startEpoch = epoch;
      try {
        // A load or save of the persister is on the wire: its answer is as fresh.
        if (busy > 0) return;
        if (lastReadFailed) {
          // The core could not read the document last time (and so holds back
          // its saves): ask it to read again, whatever the ETag says.
          listener();
          return;
        }
        const result = await fetchRemote([signal]);
        if (signal.aborted || busy > 0 || epoch !== startEpoch) return;
        known = result.known;
        if (result.changed && result.content !== null) listener(result.content);
      } catch (error) {
        if (!signal.aborted) report(error);
      } finally {
        // One request at a time: the next poll is timed from the end of this one.
        if (!signal.aborted) handle.timer = setTimeout(poll, intervalMs);
      }
    };
    handle.timer = setTimeout(poll, intervalMs);
    return handle;
  };

  const delPersisterListener = (handle: PollHandle): void => {
    clearTimeout(handle.timer);
    handle.controller.abort();
  };

  const persister = createCustomPersister(
    store,
    getPersisted,
    setPersisted,
    addPersisterListener,
    delPersisterListener,
    onIgnoredError,
    coreOptions,
  );
  const destroy = persister.destroy.bind(persister);
  return Object.assign(persister, {
    getUrls: (): [string, string] => [loadUrl, saveUrl],
    destroy: async () => {
      try {
        await destroy();
      } finally {
        // Everything changed before destroy() is saved by now: stop the rest.
        lifetime.abort();
      }
      return persister;
    },
  }) as RemotePersister;
};
