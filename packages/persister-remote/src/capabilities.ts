// What a server offers beyond GET and POST, as its GET answers say:
// `Accept-Patch` naming our changes format, and a `Link` to a change stream.
import {CHANGES_MEDIA_TYPE} from './changesJson';

export type Capabilities = {
  /** The server takes incremental saves as `PATCH` with changes. */
  patch: boolean;
  /** The absolute URL of the server's change stream (Server-Sent Events), if any. */
  eventsUrl: string | undefined;
};

export const NO_CAPABILITIES: Capabilities = {patch: false, eventsUrl: undefined};

/**
 * Reads the capabilities from the headers of a GET answer to `loadUrl`: PATCH
 * when `Accept-Patch` lists `application/x-store-changes+json`, events when a
 * `Link` has `type="text/event-stream"` (resolved against `loadUrl`).
 *
 * @example
 * capabilitiesOf(new Headers({Link: '</stores/a/events>; rel="alternate"; type="text/event-stream"'}), 'http://h/stores/a');
 * // {patch: false, eventsUrl: 'http://h/stores/a/events'}
 */
export const capabilitiesOf = (headers: Headers, loadUrl: string): Capabilities => {
  const acceptPatch = (headers.get('Accept-Patch') ?? '')
    .split(',')
    .map((type) => type.split(';')[0]!.trim().toLowerCase());
  let eventsUrl: string | undefined;
  for (const link of (headers.get('Link') ?? '').split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(link);
    if (match && /;\s*type="?text\/event-stream"?/i.test(match[2]!)) {
      try {
        eventsUrl = new URL(match[1]!, loadUrl).href;
      } catch {
        // A malformed link is no link.
      }
      break;
    }
  }
  return {patch: acceptPatch.includes(CHANGES_MEDIA_TYPE), eventsUrl};
};
