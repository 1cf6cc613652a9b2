export {DOCUMENT_ID_PATTERN, isDocumentId} from './documentId';
export {etagOf} from './etag';
export {
  createServer,
  DEFAULT_BODY_LIMIT_BYTES,
  type RemoteServer,
  type ServerOptions,
} from './server';
export {parseStartOptions, type StartOptions} from './startOptions';
