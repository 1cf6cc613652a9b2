export {CHANGES_MEDIA_TYPE, changesFromJson, changesToJson} from './changesJson';
export {DOCUMENT_ID_PATTERN, isDocumentId} from './documentId';
export type {
  ChangeEvent,
  DocumentStore,
  DocumentUpdate,
  DocumentVersion,
  WriteResult,
} from './documentStore';
export {StoreUnavailableError} from './documentStore';
export {
  type CacheLimits,
  createDocuments,
  DEFAULT_CACHE_BYTES,
  DEFAULT_CACHE_DOCUMENTS,
} from './documents';
export {etagOf} from './etag';
export {DEFAULT_HEARTBEAT_MS} from './eventStream';
export {createPostgresDocuments, type PostgresOptions} from './postgresDocuments';
export {
  createServer,
  DEFAULT_BODY_LIMIT_BYTES,
  DEFAULT_MAX_EVENT_STREAMS,
  type RemoteServer,
  type ServerOptions,
} from './server';
export {parseStartOptions, type StartOptions} from './startOptions';
