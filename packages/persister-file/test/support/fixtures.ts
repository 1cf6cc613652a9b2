// Child processes run a fixture bundled from the CURRENT source with esbuild (the
// package's own dist/ may be stale or absent when tests run); @x/store and @x/persister
// stay external and resolve to their built packages, as they do for users.
import {type ChildProcessWithoutNullStreams, spawn} from 'node:child_process';
import {mkdir} from 'node:fs/promises';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';

const packageFolder = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Bundles `test/fixtures/<name>.ts` and returns the path of the runnable .mjs. */
export const bundleFixture = async (name: string): Promise<string> => {
  const outfile = join(packageFolder, 'node_modules', '.cache', 'fixtures', `${name}.mjs`);
  await mkdir(dirname(outfile), {recursive: true});
  await build({
    entryPoints: [join(packageFolder, 'test', 'fixtures', `${name}.ts`)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    external: ['@x/store', '@x/persister'],
    logLevel: 'error',
  });
  return outfile;
};

/** A running fixture whose stdout lines can be awaited. */
export type Child = {
  process: ChildProcessWithoutNullStreams;
  lines: string[];
  stderr: () => string;
  nextLine: (matching: RegExp, timeoutMs?: number) => Promise<string>;
  exited: Promise<number | null>;
};

export const startFixture = (script: string, args: string[]): Child => {
  const child = spawn(process.execPath, [script, ...args], {stdio: 'pipe'});
  const lines: string[] = [];
  let stderr = '';
  let partial = '';
  const waiters: (() => void)[] = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    for (const wake of waiters.splice(0)) {
      wake();
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let consumed = 0;
  const nextLine = (matching: RegExp, timeoutMs = 10_000) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no line matching ${matching} (stderr: ${stderr})`)),
        timeoutMs,
      );
      const look = () => {
        while (consumed < lines.length) {
          const line = lines[consumed++];
          if (matching.test(line)) {
            clearTimeout(timer);
            resolve(line);
            return;
          }
        }
        waiters.push(look);
      };
      exited.then(() => setTimeout(() => reject(new Error(`exited: ${stderr}`)), 50));
      look();
    });
  return {process: child, lines, stderr: () => stderr, nextLine, exited};
};
