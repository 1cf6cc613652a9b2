// The PostgreSQL store: every instance of the server reads and writes the same
// table, so any number of instances can serve the same documents. Documents
// are read on demand (nothing is cached: another instance may have written).
// A write is one transaction: lock the row, check the client's condition,
// compare-and-set on the version column, NOTIFY; instances LISTEN and pass
// the notifications to their event streams. A versioned document keeps its
// `{version}` inside its JSON (`[tables, values, {version}]`), so a table made
// before versions existed needs no new column: its rows are version 0.
// (The `version` column is the row's write counter, not the data's version.)
import type {PersistedContent} from '@x/persister';
import {type Changes, createStore} from '@x/store';
import pg from 'pg';
import {createChangeFeed} from './changeFeed';
import {changesFromJson, changesToJson} from './changesJson';
import {contentVersionOf, validateDocument, withContentVersion} from './documentContent';
import {
  type ChangeEvent,
  type DocumentStore,
  type DocumentUpdate,
  type DocumentVersion,
  StoreUnavailableError,
  type WriteResult,
} from './documentStore';
import {DocumentUnreadableError, MissingDocumentError} from './documents';
import {etagOf} from './etag';

/** The table that holds the documents. */
export const DOCUMENTS_TABLE = 'x_store_documents';
/** The NOTIFY channel of committed writes. */
export const CHANGES_CHANNEL = 'x_store_changes';
// PostgreSQL refuses NOTIFY payloads of 8,000 bytes and more: larger changes
// are announced without them (clients then read the document).
const MAX_PAYLOAD_BYTES = 7_000;
// Any number that other users of the database are unlikely to lock.
const SCHEMA_LOCK = 7_270_017;

/** Our own errors pass through; anything else from the database means it is out of reach. */
const isOwnError = (error: unknown): boolean =>
  error instanceof MissingDocumentError ||
  error instanceof DocumentUnreadableError ||
  error instanceof StoreUnavailableError ||
  error instanceof InsertRaceError;

class InsertRaceError extends Error {}

const unavailable = (error: unknown): Error =>
  isOwnError(error) ? (error as Error) : new StoreUnavailableError(error);

/** Options of the PostgreSQL store. */
export type PostgresOptions = {
  /** Connections per instance. Default 10. */
  maxConnections?: number;
  /** How long a request waits for a connection before it fails with 503. Default 5 s. */
  connectionTimeoutMs?: number;
};

/**
 * Opens the documents kept in the PostgreSQL database at `databaseUrl`
 * (table `x_store_documents`, created when missing). `onError` hears
 * connection problems and malformed notifications.
 *
 * @example
 * const documents = createPostgresDocuments('postgres://app@db/app', console.error);
 * await documents.write('todos', {content: [{}, {theme: 'dark'}]}, () => true);
 */
export const createPostgresDocuments = (
  databaseUrl: string,
  onError: (error: unknown) => void,
  options: PostgresOptions = {},
): DocumentStore => {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
    idleTimeoutMillis: 10_000,
  });
  // An idle connection that breaks is only reported; the pool replaces it.
  pool.on('error', (error) => onError(error));
  const feed = createChangeFeed(onError);
  const feedLost = new Set<(error: unknown) => void>();
  let ready: Promise<void> | undefined;
  let listening: Promise<pg.Client> | undefined;
  let closed = false;

  /**
   * A pooled connection for `action`. While it is checked out, a connection
   * that breaks between two queries emits 'error' on it: without a listener
   * that would crash the process (the failing query reports the problem).
   */
  const withClient = async <Result>(
    action: (client: pg.PoolClient) => Promise<Result>,
  ): Promise<Result> => {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw unavailable(error);
    }
    let broken = false;
    const onClientError = () => {
      broken = true;
    };
    client.on('error', onClientError);
    try {
      return await action(client);
    } catch (error) {
      if (!isOwnError(error)) broken = true;
      throw error;
    } finally {
      client.off('error', onClientError);
      client.release(broken);
    }
  };

  const ensureReady = (): Promise<void> => {
    ready ??= withClient(async (client) => {
      // Two instances starting at once must not both create the table.
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${DOCUMENTS_TABLE} (
             id text PRIMARY KEY,
             content text NOT NULL,
             etag text NOT NULL,
             version bigint NOT NULL
           )`,
      );
      await client.query('COMMIT');
    });
    ready.catch(() => {
      ready = undefined; // the next request tries again
    });
    return ready.catch((error: unknown) => {
      throw unavailable(error);
    });
  };

  const lose = (client: pg.Client | undefined, error: unknown): void => {
    if (closed) return;
    listening = undefined;
    client?.removeAllListeners();
    client?.on('error', () => {});
    void client?.end().catch(() => {});
    onError(error);
    for (const listener of [...feedLost]) listener(error);
  };

  const onNotification = (message: pg.Notification): void => {
    try {
      const {id, etag, previous, changes} = JSON.parse(message.payload ?? '') as {
        id: string;
        etag: string;
        previous: string | null;
        changes?: unknown;
      };
      const event: ChangeEvent = {etag, previous: previous ?? undefined};
      if (changes !== undefined) event.changes = changesFromJson(changes);
      feed.publish(id, event);
    } catch (error) {
      onError(new Error(`a malformed notification on ${CHANGES_CHANNEL}`, {cause: error}));
    }
  };

  /** One connection per instance LISTENs; opened with the first subscriber, reopened after a loss. */
  const listen = (): Promise<pg.Client> => {
    if (listening === undefined) {
      const client = new pg.Client({connectionString: databaseUrl});
      const attempt = (async () => {
        client.on('notification', onNotification);
        client.on('error', (error) => lose(client, error));
        client.on('end', () => lose(client, new Error('the LISTEN connection ended')));
        await client.connect();
        await client.query(`LISTEN ${CHANGES_CHANNEL}`);
        return client;
      })();
      listening = attempt;
      attempt.catch((error: unknown) => {
        if (listening === attempt) lose(client, error);
      });
    }
    return listening.catch((error: unknown) => {
      throw unavailable(error);
    });
  };

  const inTransaction = <Result>(
    action: (client: pg.PoolClient) => Promise<Result>,
  ): Promise<Result> =>
    withClient(async (client) => {
      try {
        await client.query('BEGIN');
        const result = await action(client);
        // Acknowledged only once COMMIT answered: nothing uncommitted is ever 204.
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw unavailable(error);
      }
    });

  const writeOnce = (
    id: string,
    update: DocumentUpdate,
    check: (current: DocumentVersion | undefined) => boolean,
  ): Promise<WriteResult | undefined> =>
    inTransaction(async (client) => {
      const {rows} = await client.query<{content: string; etag: string; version: string}>(
        `SELECT content, etag, version FROM ${DOCUMENTS_TABLE} WHERE id = $1 FOR UPDATE`,
        [id],
      );
      const row = rows[0];
      const current = row === undefined ? undefined : {json: row.content, etag: row.etag};
      if (!check(current)) return undefined;
      let content: PersistedContent;
      if ('content' in update) content = update.content;
      else if (current === undefined) throw new MissingDocumentError(id);
      else {
        try {
          content = applyChanges(current.json, update.changes);
        } catch (error) {
          // Stored data that is not content (written by hand?) is never overwritten by a merge.
          throw new DocumentUnreadableError(id, error);
        }
      }
      const version = {json: JSON.stringify(content), etag: etagOf(content)};
      if (current?.etag === version.etag) return {version, changed: false};
      if (row !== undefined) {
        // Compare-and-set on the version read under the row lock.
        const updated = await client.query(
          `UPDATE ${DOCUMENTS_TABLE} SET content = $2, etag = $3, version = version + 1
           WHERE id = $1 AND version = $4`,
          [id, version.json, version.etag, row.version],
        );
        if (updated.rowCount !== 1) throw new Error(`document "${id}" changed under its row lock`);
      } else {
        const inserted = await client.query(
          `INSERT INTO ${DOCUMENTS_TABLE} (id, content, etag, version) VALUES ($1, $2, $3, 1)
           ON CONFLICT (id) DO NOTHING`,
          [id, version.json, version.etag],
        );
        // Another transaction created it meanwhile: start again, now with its row.
        if (inserted.rowCount !== 1) throw new InsertRaceError();
      }
      await client.query('SELECT pg_notify($1, $2)', [
        CHANGES_CHANNEL,
        payloadOf(
          id,
          version.etag,
          current?.etag,
          'changes' in update ? update.changes : undefined,
        ),
      ]);
      return {version, changed: true};
    });

  return {
    read: async (id) => {
      await ensureReady();
      const {rows} = await pool
        .query<{content: string; etag: string}>(
          `SELECT content, etag FROM ${DOCUMENTS_TABLE} WHERE id = $1`,
          [id],
        )
        .catch((error: unknown) => {
          throw unavailable(error);
        });
      const row = rows[0];
      return row === undefined ? undefined : {json: row.content, etag: row.etag};
    },

    readEtag: async (id) => {
      await ensureReady();
      const {rows} = await pool
        .query<{etag: string}>(`SELECT etag FROM ${DOCUMENTS_TABLE} WHERE id = $1`, [id])
        .catch((error: unknown) => {
          throw unavailable(error);
        });
      return rows[0]?.etag;
    },

    write: async (id, update, check) => {
      await ensureReady();
      for (let attempt = 1; ; attempt++) {
        try {
          return await writeOnce(id, update, check);
        } catch (error) {
          if (!(error instanceof InsertRaceError) || attempt >= 3) throw error;
        }
      }
    },

    subscribe: async (id, listener) => {
      const unsubscribe = feed.subscribe(id, listener);
      try {
        await ensureReady();
        await listen();
      } catch (error) {
        unsubscribe();
        throw error;
      }
      return unsubscribe;
    },

    onFeedLost: (listener) => {
      feedLost.add(listener);
      return () => feedLost.delete(listener);
    },

    openCount: () => 0,

    close: async () => {
      closed = true;
      const client = await listening?.catch(() => undefined);
      await client?.end().catch(() => {});
      await pool.end();
    },
  };
};

/** Applies PATCH changes to stored JSON, with the store's own semantics; its version stays. */
const applyChanges = (json: string, changes: Changes): PersistedContent => {
  const stored = validateDocument(JSON.parse(json));
  const merged = createStore()
    .setContent([stored[0], stored[1]])
    .applyChanges(changes)
    .getContent();
  return withContentVersion(merged, contentVersionOf(stored));
};

const payloadOf = (
  id: string,
  etag: string,
  previous: string | undefined,
  changes: Changes | undefined,
): string => {
  const head = `{"id":${JSON.stringify(id)},"etag":${JSON.stringify(etag)},"previous":${JSON.stringify(previous ?? null)}`;
  if (changes !== undefined) {
    const withChanges = `${head},"changes":${changesToJson(changes)}}`;
    if (Buffer.byteLength(withChanges) <= MAX_PAYLOAD_BYTES) return withChanges;
  }
  return `${head}}`;
};
