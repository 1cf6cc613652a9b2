// @ts-check
// `pnpm --filter collab start`: serves the page and the y-websocket rooms until Ctrl-C.
import {startCollabServer} from './collab-server.mjs';

const server = await startCollabServer({
  port: Number(process.env.PORT ?? 1234),
  host: process.env.HOST ?? '127.0.0.1',
});
console.log(`collab: open ${server.url} in several tabs or browsers (Ctrl-C stops)`);
const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
