// A thin backend over createCustomPersister: it reads (GET), writes (POST,
// or PATCH with the changes when the server takes them) and listens (the
// server's change stream when offered, else polling). The core owns queueing,
// coalescing, retries with backoff, conflict handling and validation reports.
import {
  canonicalJson,
  createCustomPersister,
  createErrorReporter,
  type LegacyContent,
  type OnIgnoredError,
  type PersistedContent,
  type Persister,
  PersisterConflictError,
  type PersisterListener,
  type PersisterOptions,
  validatePersisted,
} from '@x/persister';
import type {Changes, Store} from '@x/store';
import {type Capabilities, capabilitiesOf, NO_CAPABILITIES} from './capabilities';
import {type ChangeStream, createChangeStream, type StreamEvent} from './changeStream';
import {canPatch, changesFromJson} from './changesJson';
import {patchSave, refusesPatches} from './patchSave';
import {type Answer, request} from './request';

/**
 * The options after `onIgnoredError`: the core's (`version`, `migrate`,
 * `saveDelayMs`, `retry`...), plus the HTTP ones. Not `keepsUnreadableAside`:
 * the server keeps nothing aside, so a document that cannot be read is never
 * saved over unless `save({overwrite: true})` asks for it.
 */
export type RemotePersisterOptions = Omit<PersisterOptions, 'keepsUnreadableAside'> & {
  /** A request (answer body included) taking longer is aborted and fails. Default 10 000. */
  requestTimeoutMs?: number;
  /**
   * Headers sent with every request, such as `{Authorization: 'Bearer …'}`,
   * or a function returning them (read before each request).
   */
  headers?: Record<string, string> | (() => Record<string, string>);
  /**
   * Use the server's change stream for autoload when it offers one (default
   * `true`); `false` always polls.
   */
  changeStream?: boolean;
  /** A change stream silent for longer counts as dropped (polling resumes). Default 45 000. */
  streamIdleTimeoutMs?: number;
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
  // `content` is unknown after a PATCH (the server merged the changes).
  | {
      etag: string | undefined;
      content: PersistedContent | LegacyContent | undefined;
      canonical: string | undefined;
    };

type PollHandle = {
  controller: AbortController;
  timer: ReturnType<typeof setTimeout> | undefined;
  stream?: ChangeStream;
};

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_STREAM_IDLE_TIMEOUT_MS = 45_000;

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
  const {
    requestTimeoutMs = DEFAULT_TIMEOUT_MS,
    headers: extraHeaders,
    changeStream: useChangeStream = true,
    streamIdleTimeoutMs = DEFAULT_STREAM_IDLE_TIMEOUT_MS,
    ...passedOptions
  } = options;
  // Dropped even when passed anyway (from JavaScript): a save after a failed read must not go ahead.
  const {keepsUnreadableAside: _notHere, ...coreOptions} = passedOptions as PersisterOptions;
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
  // What the server's GET answers offer: PATCH, a change stream.
  let capabilities: Capabilities = NO_CAPABILITIES;
  // Autoloads that want to hear when to look again (an event came during a
  // load or save, the server's capabilities became known).
  const wakers = new Set<() => void>();
  let eventWhileBusy = false;

  const headersWith = (own: Record<string, string>): Record<string, string> => ({
    ...(typeof extraHeaders === 'function' ? extraHeaders() : extraHeaders),
    ...own,
  });

  /** Reads the document; `known` is left as it was (the caller commits). */
  const fetchRemote = async (
    signals: AbortSignal[],
    needContent: boolean,
  ): Promise<{
    known: Known;
    content: PersistedContent | LegacyContent | null;
    changed: boolean;
  }> => {
    // A 304 is about the version this request named, whatever happens meanwhile.
    const sent = known;
    // A load needs content: revalidate only a version whose content is kept.
    const revalidate =
      typeof sent === 'object' &&
      sent.etag !== undefined &&
      (sent.content !== undefined || !needContent);
    const answer = await request({
      method: 'GET',
      url: loadUrl,
      headers: headersWith({
        Accept: 'application/json',
        ...(revalidate ? {'If-None-Match': sent.etag!} : {}),
      }),
      timeoutMs: requestTimeoutMs,
      signals: [lifetime.signal, ...signals],
    });
    if (answer.status === 200 || answer.status === 304 || answer.status === 404) {
      learnCapabilities(capabilitiesOf(answer.headers, loadUrl));
    }
    if (answer.status === 304 && revalidate) {
      // Unchanged since we last read or wrote it: what we saw then is still current.
      return {known: sent, content: sent.content ?? null, changed: false};
    }
    if (answer.status === 404) return {known: 'missing', content: null, changed: false};
    if (answer.status < 200 || answer.status > 299) throw statusError('GET', loadUrl, answer);
    let content: PersistedContent | LegacyContent;
    try {
      // An HTML page (a login form, a captive portal) is not content, whatever its body.
      if (/html/i.test(answer.headers.get('Content-Type') ?? '')) {
        throw new Error(`its Content-Type is ${answer.headers.get('Content-Type')}`);
      }
      // `[tables]` (older versions, no values) is read too, and `[tables, values,
      // {version}]` (a persister with a `version` wrote it): the core compares versions.
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

  const learnCapabilities = (learned: Capabilities): void => {
    const newStream = learned.eventsUrl !== capabilities.eventsUrl;
    capabilities = learned;
    if (newStream) for (const wake of wakers) wake();
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
      // An event it overtook may be about someone else's write: look again.
      if (busy === 0 && eventWhileBusy) {
        eventWhileBusy = false;
        for (const wake of wakers) wake();
      }
    }
  };

  const getPersisted = () =>
    tracked(async () => {
      lastReadFailed = true;
      const result = await fetchRemote([], true);
      lastReadFailed = false;
      known = result.known;
      return result.content;
    });

  const setPersisted = (getContent: () => PersistedContent, changes?: Changes) =>
    tracked(async () => {
      if (
        changes !== undefined &&
        capabilities.patch &&
        typeof known === 'object' &&
        known.etag !== undefined &&
        isStrong(known.etag) &&
        canPatch(changes)
      ) {
        // An incremental save: only what changed, relative to the version we know.
        const base = known;
        const etag = await patchSave({
          saveUrl,
          etag: known.etag,
          changes,
          headers: headersWith({}),
          timeoutMs: requestTimeoutMs,
          signals: [lifetime.signal],
        }).catch((error: unknown) => {
          const status = /^PATCH \S+ answered (\d+)/.exec(String((error as Error)?.message));
          // The server stopped taking patches: full saves from now on, until it offers them again.
          if (status && refusesPatches(Number(status[1])))
            capabilities = {...capabilities, patch: false};
          throw error;
        });
        if (known === base) known = {etag, content: undefined, canonical: undefined};
        return;
      }
      const content = getContent();
      // The core saves only over what it read, except when told to overwrite
      // (`save({overwrite: true})`): never read, or the last read failed, means that.
      const overwriting = known === undefined || lastReadFailed;
      const condition: Record<string, string> = overwriting
        ? {}
        : known === 'missing'
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
    let refreshing = false;
    let again = false;

    /** Reads the document when it changed and tells the core (one read at a time). */
    const refresh = async (): Promise<void> => {
      if (refreshing) {
        again = true;
        return;
      }
      refreshing = true;
      try {
        do {
          again = false;
          await refreshOnce();
        } while (again && !signal.aborted);
      } finally {
        refreshing = false;
      }
    };

    const refreshOnce = async (): Promise<void> => {
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
        const result = await fetchRemote([signal], false);
        if (signal.aborted || busy > 0 || epoch !== startEpoch) return;
        known = result.known;
        if (result.changed && result.content !== null) listener(result.content);
      } catch (error) {
        if (!signal.aborted) report(error);
      }
    };

    /** One event of the change stream: merge its changes, or read the new version. */
    const onEvent = (data: string): void => {
      let event: StreamEvent;
      try {
        event = JSON.parse(data) as StreamEvent;
      } catch (error) {
        report(
          new Error(`the change stream sent an event that is not JSON: ${data.slice(0, 200)}`, {
            cause: error,
          }),
        );
        return;
      }
      if (event.etag === null || typeof event.etag !== 'string') return;
      if (busy > 0) {
        // Perhaps our own write, perhaps not: look once the load or save is done.
        eventWhileBusy = true;
        return;
      }
      if (typeof known === 'object' && known.etag === event.etag) return; // seen it (or wrote it)
      if (
        event.changes !== undefined &&
        typeof known === 'object' &&
        known.etag !== undefined &&
        event.previous === known.etag &&
        !lastReadFailed &&
        !refreshing
      ) {
        let changes: Changes;
        try {
          changes = changesFromJson(event.changes) as Changes;
        } catch (error) {
          report(new Error('the change stream sent changes in an unknown format', {cause: error}));
          void refresh();
          return;
        }
        // The changes of the write that followed the version we know: merge them, no read.
        known = {etag: event.etag, content: undefined, canonical: undefined};
        listener(undefined, changes);
        return;
      }
      void refresh();
    };

    if (useChangeStream) {
      handle.stream = createChangeStream({
        url: () => capabilities.eventsUrl,
        headers: () => headersWith({}),
        signal,
        idleTimeoutMs: streamIdleTimeoutMs,
        retryDelayMs: intervalMs,
        onEvent,
        // Dropped: what happened meanwhile is read now; polling goes on until it is back.
        onDown: () => void refresh(),
      });
    }
    const wake = () => {
      handle.stream?.connect();
      void refresh();
    };
    wakers.add(wake);
    signal.addEventListener('abort', () => wakers.delete(wake), {once: true});

    const poll = async () => {
      try {
        handle.stream?.connect();
        // A live change stream tells every write: no need to ask.
        if (!handle.stream?.isLive()) await refresh();
      } finally {
        // One request at a time: the next poll is timed from the end of this one.
        if (!signal.aborted) handle.timer = setTimeout(poll, intervalMs);
      }
    };
    handle.timer = setTimeout(poll, intervalMs);
    handle.stream?.connect();
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
