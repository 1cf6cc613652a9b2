// The file store: one @x/store plus one file persister per id, opened on
// first use and kept in a bounded cache (least recently used closed first).
// A versioned document's `{version}` is kept in its file as the third element:
// the file persister is created with the document's version, and a new one
// replaces it when a POST brings another version.
import {access} from 'node:fs/promises';
import {join} from 'node:path';
import {type PersistedContent, type Persister, PersisterVersionError} from '@x/persister';
import {createFilePersister} from '@x/persister-file';
import {createStore, type Store} from '@x/store';
import {createChangeFeed} from './changeFeed';
import {contentVersionOf, withContentVersion} from './documentContent';
import type {DocumentStore, DocumentUpdate, DocumentVersion} from './documentStore';
import {etagOf} from './etag';

export type {DocumentVersion, WriteResult} from './documentStore';

type OpenDocument = {
  store: Store;
  /** Created with `{version: contentVersion}`: it writes the file with that version. */
  persister: Persister;
  /** The version of the document's data shape (its `{version}`, 0 without one). */
  contentVersion: number;
  /** `undefined` while the document has never been written. */
  version: DocumentVersion | undefined;
  /** Errors the file persister reported since the last look. */
  errors: unknown[];
  /**
   * The saves of this document, one after the other: with a new version comes
   * a new persister, and two persisters must never write the file at once.
   */
  saving: Promise<unknown>;
};

/** Thrown when a document's file exists but cannot be read: the server answers 500. */
export class DocumentUnreadableError extends Error {
  constructor(id: string, cause: unknown) {
    super(`document "${id}" cannot be read from disk`, {cause});
    this.name = 'DocumentUnreadableError';
  }
}

/** Thrown when a write is in memory but could not be flushed to disk. */
export class DocumentNotDurableError extends Error {
  constructor(id: string, cause: unknown) {
    super(`document "${id}" could not be written to disk`, {cause});
    this.name = 'DocumentNotDurableError';
  }
}

const fileExists = async (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

/** Thrown by a PATCH of a document that does not exist (the server answers 412). */
export class MissingDocumentError extends Error {
  constructor(id: string) {
    super(`document "${id}" does not exist`);
    this.name = 'MissingDocumentError';
  }
}

/** The file store (a {@link DocumentStore}). */
export type Documents = DocumentStore;

/** Bounds of the file store's cache of open documents. */
export type CacheLimits = {
  /** At most this many documents stay open when no request uses them. Default 1,000. */
  maxDocuments?: number;
  /** At most this many bytes of document JSON stay open. Default 64 MiB. */
  maxBytes?: number;
};

export const DEFAULT_CACHE_DOCUMENTS = 1_000;
export const DEFAULT_CACHE_BYTES = 64 * 1024 * 1024;

/**
 * Opens the documents kept in `dataDir` (one `<id>.json` file each).
 * `onError` hears every error the file persisters report. Only one process
 * may use a data folder at a time.
 *
 * @example
 * const documents = createDocuments('/var/lib/remote-server', console.error);
 * await documents.write('todos', {content: [{}, {theme: 'dark'}]}, () => true);
 */
export const createDocuments = (
  dataDir: string,
  onError: (error: unknown) => void,
  limits: CacheLimits = {},
): Documents => {
  const maxDocuments = limits.maxDocuments ?? DEFAULT_CACHE_DOCUMENTS;
  const maxBytes = limits.maxBytes ?? DEFAULT_CACHE_BYTES;
  // A document stays open while a request uses it; once unused, it stays
  // cached within the bounds (Map order = least recently used first). One that
  // was only looked up (404) is closed at once, so that GETs of endless
  // made-up ids cannot fill the memory.
  type Entry = {document: Promise<OpenDocument>; users: number; bytes: number};
  const opened = new Map<string, Entry>();
  const feed = createChangeFeed(onError);
  let cachedBytes = 0;
  let closed = false;

  const filePathOf = (id: string): string => join(dataDir, `${id}.json`);

  /**
   * The file persister of a document at `contentVersion`. Only the server
   * writes the file, so the store is always what it must hold.
   */
  const persisterAt = (
    id: string,
    store: Store,
    contentVersion: number,
    errors: unknown[],
    onVersion?: (error: PersisterVersionError) => void,
  ): Persister =>
    createFilePersister(
      store,
      filePathOf(id),
      (error) => {
        if (onVersion !== undefined && error instanceof PersisterVersionError) {
          onVersion(error);
          return;
        }
        errors.push(error);
        onError(error);
      },
      {version: contentVersion},
    );

  const open = async (id: string): Promise<OpenDocument> => {
    const store = createStore();
    const errors: unknown[] = [];
    let contentVersion = 0;
    let newer: PersisterVersionError | undefined;
    // Opened at version 0 first: a versioned file is "newer", and the error names its version.
    let persister = persisterAt(id, store, 0, errors, (error) => {
      newer = error;
    });
    const exists = await fileExists(filePathOf(id));
    if (exists) await persister.load();
    if (newer !== undefined && errors.length === 0) {
      await persister.destroy();
      contentVersion = newer.storedVersion;
      persister = persisterAt(id, store, contentVersion, errors);
      await persister.load();
    }
    if (errors.length > 0) {
      await persister.destroy();
      throw new DocumentUnreadableError(id, errors[0]);
    }
    const version = exists ? versionOf(store, contentVersion) : undefined;
    return {store, persister, contentVersion, version, errors, saving: Promise.resolve()};
  };

  /**
   * When a write brings another version, a persister of that version takes
   * over at once (synchronously, so that a write that follows uses it); the
   * old one is returned, to be destroyed once its last save is done.
   */
  const swapPersister = (
    id: string,
    document: OpenDocument,
    contentVersion: number,
  ): Persister | undefined => {
    if (contentVersion === document.contentVersion) return undefined;
    const replaced = document.persister;
    document.contentVersion = contentVersion;
    document.persister = persisterAt(id, document.store, contentVersion, document.errors);
    return replaced;
  };

  const forget = (id: string, entry: Entry, document: OpenDocument): void => {
    opened.delete(id);
    cachedBytes -= entry.bytes;
    entry.bytes = 0;
    void document.persister.destroy();
  };

  /** Closes unused documents, least recently used first, until within the bounds. */
  const evict = async (): Promise<void> => {
    for (const [id, entry] of opened) {
      if (opened.size <= maxDocuments && cachedBytes <= maxBytes) return;
      if (entry.users > 0) continue;
      const document = await entry.document.catch(() => undefined);
      // A document whose last save failed keeps its only copy in memory.
      if (document === undefined || entry.users > 0 || opened.get(id) !== entry) continue;
      if (document.errors.length > 0) continue;
      forget(id, entry, document);
    }
  };

  const release = (id: string, entry: Entry, document: OpenDocument): void => {
    if (opened.get(id) !== entry) return;
    const bytes = document.version?.json.length ?? 0;
    cachedBytes += bytes - entry.bytes;
    entry.bytes = bytes;
    if (entry.users > 0) return;
    if (document.version === undefined) forget(id, entry, document);
    else void evict();
  };

  /** Runs `action` on the open document, opening it first when needed. */
  const use = async <Result>(
    id: string,
    action: (document: OpenDocument) => Result | Promise<Result>,
  ): Promise<Result> => {
    if (closed) throw new Error('the documents are closed');
    let entry = opened.get(id);
    if (entry !== undefined) {
      // Most recently used goes last.
      opened.delete(id);
      opened.set(id, entry);
    } else {
      const created: Entry = {document: open(id), users: 0, bytes: 0};
      opened.set(id, created);
      // An unreadable document is not kept: the next request tries again.
      created.document.catch(() => {
        if (opened.get(id) === created) opened.delete(id);
      });
      entry = created;
    }
    entry.users++;
    const current = entry;
    let document: OpenDocument | undefined;
    try {
      document = await current.document;
      return await action(document);
    } finally {
      current.users--;
      if (document !== undefined) release(id, current, document);
    }
  };

  return {
    read: (id) => use(id, (document) => document.version),

    readEtag: (id) => use(id, (document) => document.version?.etag),

    write: (id, update, check) =>
      use(id, async (document) => {
        // Check and apply in one synchronous step: no other write comes between.
        const previous = document.version;
        if (!check(previous)) return undefined;
        if ('changes' in update && previous === undefined) throw new MissingDocumentError(id);
        // A POST brings its version; a PATCH keeps the document's.
        const contentVersion =
          'content' in update ? contentVersionOf(update.content) : document.contentVersion;
        applyUpdate(document.store, update);
        const version = versionOf(document.store, contentVersion);
        const changed = previous?.etag !== version.etag;
        document.version = version;
        if (!changed) return {version, changed};
        document.errors.length = 0;
        const replaced = swapPersister(id, document, contentVersion);
        const {persister} = document;
        // After the saves before it (of the replaced persister too): in write order.
        const saved = document.saving.then(async () => {
          await replaced?.destroy();
          // The store is what the file must hold: nothing to read or merge first.
          await persister.save({overwrite: true});
        });
        document.saving = saved.catch(() => {});
        await saved;
        if (document.errors.length > 0) throw new DocumentNotDurableError(id, document.errors[0]);
        feed.publish(id, {
          etag: version.etag,
          previous: previous?.etag,
          ...('changes' in update ? {changes: update.changes} : {}),
        });
        return {version, changed};
      }),

    subscribe: async (id, listener) => feed.subscribe(id, listener),

    // Files have no connection to lose.
    onFeedLost: () => () => {},

    openCount: () => opened.size,

    close: async () => {
      closed = true;
      const documents = await Promise.allSettled(
        [...opened.values()].map((entry) => entry.document),
      );
      await Promise.all(
        documents.map((document) =>
          document.status === 'fulfilled' ? document.value.persister.destroy() : undefined,
        ),
      );
      opened.clear();
    },
  };
};

const applyUpdate = (store: Store, update: DocumentUpdate): void => {
  if ('content' in update) store.setContent([update.content[0], update.content[1]]);
  else store.applyChanges(update.changes);
};

/** The document as served: the store's content, with its version when it has one. */
const versionOf = (store: Store, contentVersion: number): DocumentVersion => {
  const document: PersistedContent = withContentVersion(store.getContent(), contentVersion);
  return {json: JSON.stringify(document), etag: etagOf(document)};
};
