// Builds the app with Vite into a temporary folder and serves it with
// `vite preview` on 127.0.0.1 and a free port; close() stops it and cleans up.
import {mkdtempSync, rmSync} from 'node:fs';
import {createServer as createNetServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {build, preview} from 'vite';

const root = fileURLToPath(new URL('../..', import.meta.url));

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createNetServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });

export type AppServer = {url: string; close(): Promise<void>};

export const startAppServer = async (): Promise<AppServer> => {
  const outDir = mkdtempSync(join(tmpdir(), 'todo-web-dist-'));
  await build({root, logLevel: 'error', build: {outDir, emptyOutDir: true}});
  const port = await freePort();
  const server = await preview({
    root,
    logLevel: 'error',
    build: {outDir},
    preview: {host: '127.0.0.1', port, strictPort: true, open: false},
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    close: async () => {
      await server.close();
      rmSync(outDir, {recursive: true, force: true});
    },
  };
};
