// Runs the built CLI as its own process, as a user would.
import {execFile, spawn} from 'node:child_process';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

export const cliPath = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'cli.js');

export type CliResult = {code: number; stdout: string; stderr: string};

/** A clean environment: no TODO_FILE/XDG_DATA_HOME from the caller, HOME in a temp folder. */
export const cleanEnv = (extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv => {
  const {TODO_FILE: _a, XDG_DATA_HOME: _b, ...rest} = process.env;
  return {...rest, ...extra};
};

export const runCli = (args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      [cliPath, ...args],
      {env, timeout: 20_000},
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({code, stdout, stderr});
      },
    );
  });

export const startCli = (args: string[], env: NodeJS.ProcessEnv) => {
  const child = spawn(process.execPath, [cliPath, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = {stdout: '', stderr: ''};
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output.stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    output.stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => resolve(code)),
  );
  return {child, output, exited};
};

const folders: string[] = [];
export const makeTempFolder = async () => {
  const folder = await mkdtemp(join(tmpdir(), 'x-todo-test-'));
  folders.push(folder);
  return folder;
};
export const removeTempFolders = () =>
  Promise.all(folders.splice(0).map((folder) => rm(folder, {recursive: true, force: true})));

export const waitFor = async (condition: () => boolean, what: string, timeoutMs = 8_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
