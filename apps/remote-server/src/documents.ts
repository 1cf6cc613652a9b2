// The documents the server holds: one @x/store plus one file persister per id,
// opened on first use and kept open until the server closes.
import {access} from 'node:fs/promises';
import {join} from 'node:path';
import type {Persister} from '@x/persister';
import {createFilePersister} from '@x/persister-file';
import {type Content, createStore, type Store} from '@x/store';
import {etagOf} from './etag';

/** One document as it is served. */
export type DocumentVersion = {
  /** The `[tables, values]` JSON that GET answers with. */
  json: string;
  /** The strong ETag of that content. */
  etag: string;
};

type OpenDocument = {
  store: Store;
  persister: Persister;
  /** `undefined` while the document has never been written. */
  version: DocumentVersion | undefined;
  /** Errors the file persister reported since the last look. */
  errors: unknown[];
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

/** What `write` did. */
export type WriteResult = {version: DocumentVersion; changed: boolean};

/** The documents of one data folder. */
export type Documents = {
  /** The current version, `undefined` when the document does not exist. */
  read(id: string): Promise<DocumentVersion | undefined>;
  /**
   * Replaces the document with validated content. `check` runs synchronously
   * with the swap (no other write can come between), and may refuse it by
   * returning false; then nothing changes and `write` resolves to `undefined`.
   * Resolves once the new content is on disk.
   */
  write(
    id: string,
    content: Content,
    check: (current: DocumentVersion | undefined) => boolean,
  ): Promise<WriteResult | undefined>;
  /** How many documents are open (in memory) now. */
  openCount(): number;
  /** Flushes every document to disk and closes them. */
  close(): Promise<void>;
};

/**
 * Opens the documents kept in `dataDir` (one `<id>.json` file each).
 * `onError` hears every error the file persisters report.
 *
 * @example
 * const documents = createDocuments('/var/lib/remote-server', console.error);
 * await documents.write('todos', [{}, {theme: 'dark'}], () => true);
 */
export const createDocuments = (dataDir: string, onError: (error: unknown) => void): Documents => {
  // A document stays open while it exists or while a request uses it; one
  // that was only looked up (404) is closed again, so that GETs of endless
  // made-up ids cannot fill the memory.
  type Entry = {document: Promise<OpenDocument>; users: number};
  const opened = new Map<string, Entry>();
  let closed = false;

  const open = async (id: string): Promise<OpenDocument> => {
    const filePath = join(dataDir, `${id}.json`);
    const store = createStore();
    const errors: unknown[] = [];
    const persister = createFilePersister(store, filePath, (error) => {
      errors.push(error);
      onError(error);
    });
    const exists = await fileExists(filePath);
    if (exists) await persister.load();
    if (errors.length > 0) {
      await persister.destroy();
      throw new DocumentUnreadableError(id, errors[0]);
    }
    const version = exists ? versionOf(store.getContent()) : undefined;
    return {store, persister, version, errors};
  };

  const closeIfUnused = (id: string, entry: Entry, document: OpenDocument): void => {
    if (entry.users > 0 || document.version !== undefined || opened.get(id) !== entry) return;
    opened.delete(id);
    void document.persister.destroy();
  };

  /** Runs `action` on the open document, opening it first when needed. */
  const use = async <Result>(
    id: string,
    action: (document: OpenDocument) => Result | Promise<Result>,
  ): Promise<Result> => {
    if (closed) throw new Error('the documents are closed');
    let entry = opened.get(id);
    if (entry === undefined) {
      const created: Entry = {document: open(id), users: 0};
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
      if (document !== undefined) closeIfUnused(id, current, document);
    }
  };

  return {
    read: (id) => use(id, (document) => document.version),

    write: (id, content, check) =>
      use(id, async (document) => {
        if (!check(document.version)) return undefined;
        document.store.setContent(content);
        const version = versionOf(document.store.getContent());
        const changed = document.version?.etag !== version.etag;
        document.version = version;
        if (!changed) return {version, changed};
        document.errors.length = 0;
        await document.persister.save();
        if (document.errors.length > 0) throw new DocumentNotDurableError(id, document.errors[0]);
        return {version, changed};
      }),

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

const versionOf = (content: Content): DocumentVersion => ({
  json: JSON.stringify(content),
  etag: etagOf(content),
});
