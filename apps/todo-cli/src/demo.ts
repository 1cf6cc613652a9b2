// `pnpm demo`: a short scripted tour of x-todo in a temporary folder. Every command is
// a real run of the CLI as its own process, printed as you would type it.
import {spawn} from 'node:child_process';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const cli = join(dirname(fileURLToPath(import.meta.url)), 'cli.js');
const say = (text = '') => process.stdout.write(`${text}\n`);
const indent = (text: string) =>
  text
    .trimEnd()
    .split('\n')
    .map((line) => `  │ ${line}`)
    .join('\n');

type Run = {stdout: string; stderr: string; code: number | null};

const start = (args: string[], env: NodeJS.ProcessEnv) => {
  const child = spawn(process.execPath, [cli, ...args], {env, stdio: ['ignore', 'pipe', 'pipe']});
  const run: Run = {stdout: '', stderr: '', code: null};
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    run.stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    run.stderr += chunk;
  });
  const done = new Promise<Run>((resolve) =>
    child.on('close', (code) => resolve(Object.assign(run, {code}))),
  );
  return {child, run, done};
};

const until = async (condition: () => boolean, what: string) => {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`demo: timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

const main = async () => {
  const folder = await mkdtemp(join(tmpdir(), 'x-todo-demo-'));
  const file = join(folder, 'todos.json');
  const env = {...process.env, TODO_FILE: file};
  const x = async (args: string[], note = '') => {
    const shown = args.map((arg) => (arg.includes(' ') ? `"${arg}"` : arg)).join(' ');
    say(`$ x-todo ${shown}${note ? `      # ${note}` : ''}`);
    const result = await start(args, env).done;
    process.stdout.write(result.stdout + result.stderr);
    return result;
  };
  try {
    say(`x-todo keeps a todo list in one JSON file; this tour uses TODO_FILE=${file}`);
    say();
    await x(['add', 'Buy milk']);
    await x(['add', 'Walk the dog']);
    await x(['add', 'Water the plants']);
    await x(['list']);
    say();
    say('A watcher shows the list live; another process marks #2 done:');
    say('$ x-todo watch &');
    const watcher = start(['watch'], env);
    await until(() => watcher.run.stdout.includes('3 todos, 0 done'), 'the watcher to start');
    await x(['done', '2'], 'a second process');
    await until(() => watcher.run.stdout.includes('3 todos, 1 done'), 'the watcher to update');
    say('$ kill -INT %1      # what the watcher printed:');
    watcher.child.kill('SIGINT');
    const watched = await watcher.done;
    say(indent(watched.stdout.replaceAll(`, watching ${file}`, '')));
    if (watched.code !== 0) {
      throw new Error(`demo: the watcher exited with ${watched.code}: ${watched.stderr}`);
    }
    say();
    say('A fresh process (a restart) reads the same file:');
    await x(['list']);
    say();
    say('Mistakes get one clear line and a non-zero exit; the file is never lost:');
    const bad = await x(['done', '9']);
    say(`(exit code ${bad.code})`);
  } finally {
    await rm(folder, {recursive: true, force: true});
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
