// apps/remote-server in its own process on 127.0.0.1 (so that the server's work
// does not share the measured client's thread). Prints `LISTENING <url>` once
// ready; stops gracefully on SIGTERM or when its parent's stdin closes.
import {createServer} from 'remote-server';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: remote-server-process <data folder>');
const server = createServer({dataDir, bodyLimitBytes: 64 * 1024 * 1024});
const url = await server.listen(0, '127.0.0.1');
process.stdout.write(`LISTENING ${url}\n`);

const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
