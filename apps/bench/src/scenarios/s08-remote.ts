// 8. Remote: a burst of autosaved edits against apps/remote-server (its own
// process, loopback); the time until the server holds the last edit, and how
// many POSTs it took. Ours only: TinyBase has no server to compare with.
import {spawn} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import type {Content} from '@x/store';
import {makeStore, n, rowId, TABLE} from '../data';
import {defineScenario} from '../types';
import {check, sameContent, waitSettled, waitUntil} from '../verify';

// Scenarios are bundled into dist/child.js: the server's entry point is built beside it.
const serverScript = fileURLToPath(new URL('remote-server-process.js', import.meta.url));

type ServerProcess = {url: string; stop: () => Promise<unknown>};

/** Starts the server process; resolves once it listens. */
const startServer = (dataDir: string): Promise<ServerProcess> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [serverScript, dataDir], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk;
      const match = /LISTENING (\S+)/.exec(out);
      if (!match) return;
      child.stdout.off('data', onData);
      const exited = new Promise<unknown>((done) => child.on('exit', done));
      resolve({
        url: match[1],
        stop: () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    };
    child.stdout.on('data', onData);
    child.on('exit', (code) =>
      reject(new Error(`remote-server exited (${code}) before listening`)),
    );
  });

export default defineScenario({
  id: '8',
  title: ({edits, rows}) =>
    `remote: ${n(edits)} autosaved edits on ${n(rows)} rows, loopback server`,
  needs: ['createStore', 'createRemotePersister', 'createServer'],
  libs: ['x'],
  notApplicable: 'TinyBase has no server',
  size: {
    full: {edits: 1_000, rows: 1_000, timeoutMs: 60_000},
    quick: {edits: 50, rows: 100, timeoutMs: 15_000},
  },
  metrics: [
    {key: 'time', label: 'time until the server holds the last edit', unit: 'ms'},
    {key: 'settled', label: 'time until every write is done', unit: 'ms'},
    {key: 'writes', label: 'writes (POSTs)', unit: 'writes'},
  ],
  async run(lib, {edits, rows, timeoutMs}, ctx) {
    const server = await startServer(ctx.tmpDir);
    try {
      const url = `${server.url}/stores/bench`;
      const store = makeStore(lib, rows);
      // Autoload is not part of this scenario: poll rarely so it stays out of the way.
      const persister = lib.createRemotePersister(store, url, url, 3600, ctx.onIgnoredError);
      await persister.startAutoSave();
      await waitSettled(persister);
      const savesBefore = persister.getStats().saves;

      // Polls the server as a second client would, cheaply with If-None-Match.
      let etag: string | undefined;
      let serverContent: Content | undefined;
      const fetchServer = async () => {
        const response = await fetch(url, {headers: etag ? {'If-None-Match': etag} : {}});
        if (response.status === 304) return false;
        if (response.status !== 200) return false;
        etag = response.headers.get('etag') ?? undefined;
        serverContent = (await response.json()) as Content;
        return true;
      };
      const lastRow = rowId((edits - 1) % rows);
      const serverHoldsLast = async () =>
        (await fetchServer()) && serverContent?.[0]?.[TABLE]?.[lastRow]?.n === -edits;

      const start = performance.now();
      for (let k = 0; k < edits; k++) store.setCell(TABLE, rowId(k % rows), 'n', -(k + 1));
      const done = await waitUntil(serverHoldsLast, {timeoutMs, everyMs: 2});
      check(done !== undefined, `the server never held the last edit (${timeoutMs} ms)`);
      const time = done - start;

      const idle = await waitSettled(persister);
      check(idle !== undefined, 'the persister never became idle');
      const settled = idle - start;
      const writes = persister.getStats().saves - savesBefore;
      await persister.destroy();
      etag = undefined;
      await fetchServer();
      check(sameContent(serverContent, store.getContent()), 'the server is not equal to the store');
      return {time, settled, writes};
    } finally {
      await server.stop();
    }
  },
});
