// One HTTP request through the global fetch, with a timeout and an abort
// signal, and errors that say what was asked of whom.

/**
 * A signal that aborts when any of `signals` does (AbortSignal.any is too new
 * for some browsers), and `dispose` to unhook it from them once done, so that
 * long-lived signals do not collect listeners.
 */
const anySignal = (signals: AbortSignal[]): {signal: AbortSignal; dispose: () => void} => {
  const controller = new AbortController();
  const hooks = new AbortController();
  for (const signal of signals) {
    if (signal.aborted) {
      controller.abort(signal.reason);
      break;
    }
    signal.addEventListener('abort', () => controller.abort(signal.reason), {
      once: true,
      signal: hooks.signal,
    });
  }
  return {signal: controller.signal, dispose: () => hooks.abort()};
};

export type RequestOptions = {
  method: 'GET' | 'POST' | 'PATCH';
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** Aborting any of these aborts the request. */
  signals: AbortSignal[];
  /** `'manual'`: a redirect is answered as is (a 3xx, or status 0 in a browser), never followed. */
  redirect?: RequestRedirect;
};

/** A finished answer: its status, its headers and its whole body text. */
export type Answer = {status: number; headers: Headers; text: string};

/**
 * Sends one request and reads the whole answer, within `timeoutMs` (body
 * included). Rejects with an Error naming the method and URL on network
 * errors, timeouts and aborts.
 *
 * @example
 * const answer = await request({method: 'GET', url, headers: {}, timeoutMs: 10_000, signals: []});
 */
export const request = async (options: RequestOptions): Promise<Answer> => {
  const {method, url, timeoutMs} = options;
  const timeout = AbortSignal.timeout(timeoutMs);
  const {signal, dispose} = anySignal([timeout, ...options.signals]);
  try {
    const response = await fetch(url, {
      method,
      headers: options.headers,
      body: options.body,
      signal,
      cache: 'no-store',
      redirect: options.redirect ?? 'follow',
    });
    const text = await response.text();
    return {status: response.status, headers: response.headers, text};
  } catch (error) {
    if (timeout.aborted) {
      throw new Error(`${method} ${url} timed out after ${timeoutMs} ms`, {cause: error});
    }
    if (signal.aborted) throw new Error(`${method} ${url} was aborted`, {cause: error});
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${method} ${url} failed: ${reason}`, {cause: error});
  } finally {
    dispose();
  }
};
