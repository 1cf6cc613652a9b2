// In-process fan-out of change events, per document id. Each store feeds it
// with committed writes (the PostgreSQL store from LISTEN, so from every instance).
import type {ChangeEvent, ChangeListener} from './documentStore';

/** Listeners per id; `publish` never throws (a failing listener is reported and skipped). */
export type ChangeFeed = {
  subscribe(id: string, listener: ChangeListener): () => void;
  publish(id: string, event: ChangeEvent): void;
  /** How many listeners in all. */
  size(): number;
};

/**
 * Creates an empty feed.
 *
 * @example
 * const feed = createChangeFeed(console.error);
 * const stop = feed.subscribe('todos', (event) => console.log(event.etag));
 * feed.publish('todos', {etag: '"b"', previous: '"a"'});
 * stop();
 */
export const createChangeFeed = (onError: (error: unknown) => void): ChangeFeed => {
  const listeners = new Map<string, Set<ChangeListener>>();
  let count = 0;
  return {
    subscribe: (id, listener) => {
      let set = listeners.get(id);
      if (set === undefined) {
        set = new Set();
        listeners.set(id, set);
      }
      const own = set;
      // Wrapped, so that one function subscribed twice is two subscriptions.
      const entry: ChangeListener = (event) => listener(event);
      own.add(entry);
      count++;
      return () => {
        if (!own.delete(entry)) return;
        count--;
        if (own.size === 0 && listeners.get(id) === own) listeners.delete(id);
      };
    },
    publish: (id, event) => {
      for (const listener of [...(listeners.get(id) ?? [])]) {
        try {
          listener(event);
        } catch (error) {
          onError(error);
        }
      }
    },
    size: () => count,
  };
};
