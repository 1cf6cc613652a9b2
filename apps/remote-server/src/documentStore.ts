// What the HTTP layer needs from a place that keeps documents: the file store
// (one process, files on disk) and the PostgreSQL store (any number of
// processes on one database) both provide it.
import type {PersistedContent} from '@x/persister';
import type {Changes} from '@x/store';

/** One document as it is served. */
export type DocumentVersion = {
  /** The `[tables, values]` (or `[tables, values, {version}]`) JSON that GET answers with. */
  json: string;
  /** The strong ETag of that content. */
  etag: string;
};

/**
 * What a write does: replace the whole document, its `{version}` included
 * (POST), or merge changes into its tables and values, its version kept (PATCH).
 */
export type DocumentUpdate = {content: PersistedContent} | {changes: Changes};

/** What `write` did. */
export type WriteResult = {version: DocumentVersion; changed: boolean};

/** A committed write, as the change stream tells it. */
export type ChangeEvent = {
  /** The ETag of the new version. */
  etag: string;
  /** The ETag the write replaced (`undefined` when it created the document). */
  previous: string | undefined;
  /** The changes of a PATCH, when they are small enough to pass along. */
  changes?: Changes;
};

export type ChangeListener = (event: ChangeEvent) => void;

/** The documents, wherever they are kept. */
export type DocumentStore = {
  /** The current version, `undefined` when the document does not exist. */
  read(id: string): Promise<DocumentVersion | undefined>;
  /** Only the current ETag (cheaper than `read` for a store that is not in memory). */
  readEtag(id: string): Promise<string | undefined>;
  /**
   * Applies `update` when `check(current)` allows it, atomically: no other
   * write (of this process or, for PostgreSQL, of any other) comes between the
   * check and the write. Resolves once the write is durable, to `undefined`
   * when `check` refused. A PATCH of a missing document throws MissingDocumentError.
   */
  write(
    id: string,
    update: DocumentUpdate,
    check: (current: DocumentVersion | undefined) => boolean,
  ): Promise<WriteResult | undefined>;
  /**
   * Hears every committed change of `id` (from any instance). Resolves, to the
   * unsubscribe, once listening is active: no later write is missed.
   */
  subscribe(id: string, listener: ChangeListener): Promise<() => void>;
  /**
   * Called with an error when the store stops hearing changes (its database
   * connection dropped): event streams should end, so that clients poll.
   */
  onFeedLost(listener: (error: unknown) => void): () => void;
  /** How many documents are held in memory now. */
  openCount(): number;
  /** Flushes and closes. */
  close(): Promise<void>;
};

/** Thrown when the storage is out of reach (the database went away): the server answers 503. */
export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`the document store is unavailable: ${(cause as Error)?.message ?? String(cause)}`, {
      cause,
    });
    this.name = 'StoreUnavailableError';
  }
}
