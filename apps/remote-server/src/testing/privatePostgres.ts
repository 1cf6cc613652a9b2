// A private PostgreSQL cluster for tests and benchmarks: initdb in a fresh
// temporary folder, started on a free port of 127.0.0.1, removed at the end.
// PostgreSQL refuses to run as root, so as root it runs as the `postgres` user.
import {execFile} from 'node:child_process';
import {existsSync} from 'node:fs';
import {chown, mkdtemp, readFile, rm} from 'node:fs/promises';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';

const run = promisify(execFile);

/** Where Debian's `postgresql` package puts the server programs. */
export const POSTGRES_BIN = process.env.POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';

/** A running private cluster. */
export type PrivatePostgres = {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust authentication). */
  url: string;
  port: number;
  /** The temporary folder holding the cluster (removed by `destroy`). */
  folder: string;
  /** Stops the server at once, as a crash would (`pg_ctl stop -m immediate`). */
  kill(): Promise<void>;
  /** Starts it again after `kill` (same folder, same port). */
  start(): Promise<void>;
  /** Stops the server and removes its folder. */
  destroy(): Promise<void>;
  /** The server's log so far (for failing tests). */
  log(): Promise<string>;
};

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const {port} = probe.address() as {port: number};
      probe.close(() => resolve(port));
    });
  });

const isRoot = (): boolean => process.getuid?.() === 0;

/** Runs a PostgreSQL program, as `postgres` when we are root. */
const runAsOwner = (program: string, args: string[]) => {
  const path = join(POSTGRES_BIN, program);
  return isRoot() ? run('runuser', ['-u', 'postgres', '--', path, ...args]) : run(path, args);
};

/**
 * Creates and starts a private cluster (initdb, then `pg_ctl start` with a log
 * file so that it never holds the caller's output open). Needs Debian's
 * `postgresql` package (`POSTGRES_BIN` overrides where its programs are).
 *
 * @example
 * const postgres = await startPrivatePostgres();
 * const server = createServer({databaseUrl: postgres.url});
 * // ...
 * await postgres.destroy();
 */
export const startPrivatePostgres = async (): Promise<PrivatePostgres> => {
  if (!existsSync(join(POSTGRES_BIN, 'initdb'))) {
    throw new Error(
      `no PostgreSQL in ${POSTGRES_BIN}: apt-get install -y --no-install-recommends postgresql`,
    );
  }
  const root = await mkdtemp(join(tmpdir(), 'private-postgres-'));
  if (isRoot()) {
    const {stdout} = await run('id', ['-u', 'postgres']);
    const {stdout: group} = await run('id', ['-g', 'postgres']);
    await chown(root, Number(stdout.trim()), Number(group.trim()));
  }
  const dataDir = join(root, 'data');
  const logFile = join(root, 'log');
  await runAsOwner('initdb', [
    '-D',
    dataDir,
    '-A',
    'trust',
    '-U',
    'postgres',
    '--no-sync',
    '-E',
    'UTF8',
  ]);
  const port = await freePort();
  // fsync off: tests crash processes, never the machine; commits still wait for the WAL write.
  const serverOptions = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const start = async () => {
    await runAsOwner('pg_ctl', ['-D', dataDir, '-l', logFile, '-o', serverOptions, '-w', 'start']);
  };
  const stop = async (mode: 'immediate' | 'fast') => {
    await runAsOwner('pg_ctl', ['-D', dataDir, '-m', mode, '-w', 'stop']).catch(() => {});
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    folder: root,
    kill: () => stop('immediate'),
    start,
    destroy: async () => {
      await stop('immediate');
      await rm(root, {recursive: true, force: true});
    },
    log: () => readFile(logFile, 'utf8').catch(() => ''),
  };
};
