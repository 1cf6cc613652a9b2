// The README commands of the example apps, typed as a newcomer types them, in a
// fresh copy of the repository: `pnpm install`, then each documented start/dev/build
// command with no package built (every dist/ removed first), so a command that
// forgets to build what it imports fails here as it would on a fresh clone.
import {type ChildProcess, execFileSync, spawn} from 'node:child_process';
import {cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {afterAll, beforeAll, beforeEach, expect, it} from 'vitest';

const repo = join(import.meta.dirname, '..', '..', '..');
let copy: string;
const running: ChildProcess[] = [];

const run = (command: string, args: string[], cwd = copy) =>
  execFileSync(command, args, {
    cwd,
    stdio: 'pipe',
    encoding: 'utf8',
    env: {...process.env, TURBO_TELEMETRY_DISABLED: '1'},
  });

/** A fresh clone of the working tree as it is now (committed or not), installed. */
const freshCopy = () => {
  const folder = mkdtempSync(join(tmpdir(), 'x-fresh-'));
  const files = run('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], repo)
    .split('\0')
    .filter((file) => file && existsSync(join(repo, file)));
  for (const file of files) {
    mkdirSync(dirname(join(folder, file)), {recursive: true});
    cpSync(join(repo, file), join(folder, file));
  }
  run('git', ['init', '-q'], folder);
  run('pnpm', ['install', '--frozen-lockfile', '--prefer-offline', '--reporter=silent'], folder);
  return folder;
};

/** Every dist/ of the copy, so that each command starts with nothing built. */
const removeBuilds = () => {
  for (const group of ['packages', 'apps']) {
    for (const name of readdirSync(join(copy, group))) {
      rmSync(join(copy, group, name, 'dist'), {recursive: true, force: true});
    }
  }
};

/**
 * Starts a long-running README command in its own process group and resolves
 * with the first match of `ready` in its output; rejects if it exits first.
 */
const start = (args: string[], ready: RegExp, env = {}): Promise<RegExpMatchArray> =>
  new Promise((resolve, reject) => {
    const child = spawn('pnpm', args, {
      cwd: copy,
      detached: true,
      env: {...process.env, TURBO_TELEMETRY_DISABLED: '1', NO_COLOR: '1', ...env},
    });
    running.push(child);
    let output = '';
    const hear = (chunk: Buffer) => {
      output += chunk;
      const match = output.match(ready);
      if (match) resolve(match);
    };
    child.stdout.on('data', hear);
    child.stderr.on('data', hear);
    child.on('exit', (code) =>
      reject(new Error(`pnpm ${args.join(' ')} exited (${code}) before it was ready:\n${output}`)),
    );
  });

const stopAll = () => {
  for (const child of running.splice(0)) {
    try {
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
};

beforeAll(() => {
  copy = freshCopy();
});
beforeEach(() => {
  stopAll();
  removeBuilds();
});
afterAll(() => {
  stopAll();
  if (copy) rmSync(copy, {recursive: true, force: true});
});

it('pnpm --filter remote-server start -- --port … --data-dir ./data (remote-server README)', async () => {
  // The literal `--` is what pnpm 10 hands on to the script.
  const [, url] = await start(
    ['--filter', 'remote-server', 'start', '--', '--port', '0', '--data-dir', './data'],
    /listening on (http:\/\/\S+)/,
  );
  const answer = await fetch(`${url}/stores/todos`);
  expect(answer.status).toBe(404);
  // ./data is relative to the app's folder (pnpm runs scripts there), and ignored by git.
  expect(existsSync(join(copy, 'apps/remote-server/data'))).toBe(true);
  expect(run('git', ['check-ignore', 'apps/remote-server/data/todos.json']).trim()).toBe(
    'apps/remote-server/data/todos.json',
  );
});

it('pnpm --filter todo-web build (todo-web README)', () => {
  run('pnpm', ['--filter', 'todo-web', 'build']);
  expect(existsSync(join(copy, 'apps/todo-web/dist/index.html'))).toBe(true);
});

it('pnpm --filter todo-web dev (todo-web README) serves the app and the packages it imports', async () => {
  const [, url] = await start(['--filter', 'todo-web', 'dev'], /Local:\s+(http:\/\/\S+?)\/?\s/);
  // Vite resolves the app's imports when it serves the module: an unbuilt
  // package is a 500 here (the error overlay in a browser).
  // The page names its icon, so that the browser asks for no /favicon.ico (a 404).
  expect(await (await fetch(url)).text()).toContain('<link rel="icon"');
  const main = await fetch(`${url}/src/main.ts`);
  expect(main.status).toBe(200);
  const code = await main.text();
  // Either `/@fs/…/packages/store/dist/index.js` or a pre-bundled `…/deps/@x_store.js`.
  for (const name of ['persister-browser', 'store']) {
    const path = code.match(
      new RegExp(`from\\s+"([^"]*(?:@x[/_]|packages/)${name}[/.][^"]*)"`),
    )?.[1];
    expect(path, `the import of ${name} in:\n${code}`).toBeDefined();
    expect((await fetch(new URL(path!, url))).status, name).toBe(200);
  }
});

it('pnpm --filter collab start (top README)', async () => {
  // PORT=0: any free port, not the default 1234 that something else may hold.
  const [, url] = await start(['--filter', 'collab', 'start'], /open (http:\/\/\S+)/, {PORT: '0'});
  const page = await fetch(url);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('<link rel="icon"');
});
