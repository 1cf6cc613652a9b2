// The command line server as a real child process: flags, SIGTERM. It runs
// an ESM build of src/start.ts made for this file (dist/ is left alone), put
// under node_modules/.cache so that its imports resolve like dist/'s.
import {type ChildProcess, execFileSync, spawn} from 'node:child_process';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {postJson, send} from './helpers';

const PACKAGE = join(import.meta.dirname, '..');
const BUILD = join(PACKAGE, 'node_modules', '.cache', `start-test-${process.pid}`);
const START = join(BUILD, 'start.js');

beforeAll(() => {
  execFileSync(
    'pnpm',
    [
      'exec',
      'tsup',
      'src/start.ts',
      '--format',
      'esm',
      '--target',
      'node20',
      '--silent',
      '--out-dir',
      BUILD,
    ],
    {cwd: PACKAGE, stdio: 'pipe'},
  );
});
afterAll(async () => {
  await rm(BUILD, {recursive: true, force: true});
});

const children: ChildProcess[] = [];
const folders: string[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const folder of folders.splice(0)) await rm(folder, {recursive: true, force: true});
});

/** Starts bin/start.js and resolves once it prints its URL. */
const startChild = (args: string[], env: Record<string, string> = {}) =>
  new Promise<{child: ChildProcess; url: string; exited: Promise<number | null>}>(
    (resolve, reject) => {
      const child = spawn(process.execPath, [START, ...args], {
        env: {...process.env, ...env},
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk;
        const match = /listening on (http:\/\/\S+)/.exec(output);
        if (match) resolve({child, url: match[1]!, exited});
      });
      child.stderr!.on('data', (chunk: Buffer) => {
        output += chunk;
      });
      child.once('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
    },
  );

const tempFolder = async () => {
  const folder = await mkdtemp(join(tmpdir(), 'remote-server-cli-'));
  folders.push(folder);
  return folder;
};

describe('bin/start.js', () => {
  it('takes the port and data folder from the environment', async () => {
    const dataDir = join(await tempFolder(), 'nested', 'data');
    const {child, url, exited} = await startChild([], {PORT: '0', DATA_DIR: dataDir});
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await postJson(`${url}/stores/env`, [{}, {a: 1}])).status).toBe(204);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(JSON.parse(await readFile(join(dataDir, 'env.json'), 'utf8'))).toEqual([{}, {a: 1}]);
  });

  it('finishes a request in flight on SIGTERM, flushes it, exits 0, and restarts with it', async () => {
    const dataDir = await tempFolder();
    const first = await startChild(['--port', '0', '--data-dir', dataDir, '--token', 't0k']);
    const content = [{notes: {n1: {text: 'x'.repeat(50_000)}}}, {}];
    const body = Buffer.from(JSON.stringify(content));
    let sentHalf: () => void = () => {};
    const halfSent = new Promise<void>((resolve) => (sentHalf = resolve));
    let sendRest: () => void = () => {};
    const rest = new Promise<void>((resolve) => (sendRest = resolve));
    async function* slowBody() {
      yield body.subarray(0, 1000);
      sentHalf();
      await rest;
      yield body.subarray(1000);
    }
    const posting = send(`${first.url}/stores/notes`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': String(body.length),
        authorization: 'Bearer t0k',
      },
      body: slowBody(),
    });
    await halfSent;
    // Give the server time to receive the request head before the signal.
    await new Promise((resolve) => setTimeout(resolve, 300));
    first.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 100));
    sendRest();
    expect((await posting).status).toBe(204);
    expect(await first.exited).toBe(0);

    const second = await startChild(['--port', '0', '--data-dir', dataDir, '--token', 't0k']);
    const got = await send(`${second.url}/stores/notes`, {headers: {authorization: 'Bearer t0k'}});
    expect(JSON.parse(got.text)).toEqual(content);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('refuses a bad flag with a usage message', async () => {
    await expect(startChild(['--port', 'many'])).rejects.toThrow(/port must be an integer/);
  });
});
