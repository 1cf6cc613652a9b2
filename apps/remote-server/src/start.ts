// The command line entry: starts the server, stops it gracefully on SIGTERM/SIGINT.
import {mkdir} from 'node:fs/promises';
import {createServer} from './server';
import {parseStartOptions} from './startOptions';

const options = parseStartOptions(process.argv.slice(2), process.env);
await mkdir(options.dataDir, {recursive: true});
const server = createServer(options);
const url = await server.listen(options.port, options.host);
console.log(`remote-server listening on ${url} (data in ${options.dataDir})`);

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
