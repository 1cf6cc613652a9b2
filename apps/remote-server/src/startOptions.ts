// Flags and environment variables of `pnpm --filter remote-server start`.
import {resolve} from 'node:path';
import {parseArgs} from 'node:util';
import {DEFAULT_CACHE_BYTES, DEFAULT_CACHE_DOCUMENTS} from './documents';
import {DEFAULT_BODY_LIMIT_BYTES} from './server';

export type StartOptions = {
  port: number;
  host: string;
  dataDir: string;
  bodyLimitBytes: number;
  token: string | undefined;
  corsOrigin: string;
  /** `postgres://…`: documents in PostgreSQL instead of `dataDir`. */
  databaseUrl: string | undefined;
  /** Bounds of the file store's cache. */
  cache: {maxDocuments: number; maxBytes: number};
};

const USAGE = `usage: remote-server [--port N] [--host H] [--data-dir DIR] [--body-limit BYTES]
                     [--token TOKEN] [--cors-origin ORIGIN] [--database-url postgres://...]
                     [--cache-documents N] [--cache-bytes BYTES]
environment: PORT, HOST, DATA_DIR, BODY_LIMIT_BYTES, REMOTE_SERVER_TOKEN, CORS_ORIGIN,
             DATABASE_URL, CACHE_DOCUMENTS, CACHE_BYTES (flags win)`;

const integer = (text: string, name: string, min: number): number => {
  const number = Number(text);
  if (!Number.isInteger(number) || number < min) {
    throw new Error(`${name} must be an integer >= ${min}, not "${text}"\n${USAGE}`);
  }
  return number;
};

/**
 * Reads the start options from command-line flags, then the environment,
 * then the defaults (port 8080, host 127.0.0.1, data folder ./data).
 *
 * @example
 * parseStartOptions(['--port', '9000'], {DATA_DIR: '/srv/data'});
 * // {port: 9000, host: '127.0.0.1', dataDir: '/srv/data', ...}
 */
export const parseStartOptions = (
  argv: string[],
  env: Record<string, string | undefined>,
): StartOptions => {
  const {values} = parseArgs({
    // `pnpm start -- --port 8080` hands the script a literal `--` first (npm
    // drops it, pnpm 10 does not): read it as the separator it was meant to be.
    args: argv[0] === '--' ? argv.slice(1) : argv,
    options: {
      port: {type: 'string'},
      host: {type: 'string'},
      'data-dir': {type: 'string'},
      'body-limit': {type: 'string'},
      token: {type: 'string'},
      'cors-origin': {type: 'string'},
      'database-url': {type: 'string'},
      'cache-documents': {type: 'string'},
      'cache-bytes': {type: 'string'},
    },
    strict: true,
    allowPositionals: false,
  });
  const token = values.token ?? env.REMOTE_SERVER_TOKEN;
  const databaseUrl = values['database-url'] ?? env.DATABASE_URL;
  return {
    port: integer(values.port ?? env.PORT ?? '8080', 'port', 0),
    host: values.host ?? env.HOST ?? '127.0.0.1',
    dataDir: resolve(values['data-dir'] ?? env.DATA_DIR ?? 'data'),
    bodyLimitBytes: integer(
      values['body-limit'] ?? env.BODY_LIMIT_BYTES ?? String(DEFAULT_BODY_LIMIT_BYTES),
      'body limit',
      1,
    ),
    token: token === '' ? undefined : token,
    corsOrigin: values['cors-origin'] ?? env.CORS_ORIGIN ?? '*',
    databaseUrl: databaseUrl === '' ? undefined : databaseUrl,
    cache: {
      maxDocuments: integer(
        values['cache-documents'] ?? env.CACHE_DOCUMENTS ?? String(DEFAULT_CACHE_DOCUMENTS),
        'cache documents',
        0,
      ),
      maxBytes: integer(
        values['cache-bytes'] ?? env.CACHE_BYTES ?? String(DEFAULT_CACHE_BYTES),
        'cache bytes',
        0,
      ),
    },
  };
};
