// The command line entry: starts the server, stops it gracefully on SIGTERM/SIGINT.
import {mkdir} from 'node:fs/promises';
import {createServer} from './server';
import {parseStartOptions} from './startOptions';

/** The database URL without its password, for the log. */
const redacted = (databaseUrl: string): string => {
  try {
    const url = new URL(databaseUrl);
    if (url.password !== '') url.password = '***';
    return url.toString();
  } catch {
    return 'the given URL';
  }
};

const options = parseStartOptions(process.argv.slice(2), process.env);
if (options.databaseUrl === undefined) await mkdir(options.dataDir, {recursive: true});
const server = createServer(options);
const url = await server.listen(options.port, options.host);
const where =
  options.databaseUrl === undefined
    ? `data in ${options.dataDir}`
    : `data in PostgreSQL at ${redacted(options.databaseUrl)}`;
console.log(`remote-server listening on ${url} (${where})`);

const stop = (signal: string) => {
  console.log(`remote-server: ${signal}, flushing documents and closing`);
  server.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
};
process.once('SIGTERM', () => stop('SIGTERM'));
process.once('SIGINT', () => stop('SIGINT'));
