// add, list, done, rm: run as processes against a real file.
import {spawnSync} from 'node:child_process';
import {readdir, readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {cleanEnv, makeTempFolder, removeTempFolders, runCli} from './support/runCli';

afterEach(removeTempFolders);

const setUp = async () => {
  const folder = await makeTempFolder();
  const file = join(folder, 'todos.json');
  const env = cleanEnv({TODO_FILE: file, HOME: folder});
  return {folder, file, env, x: (...args: string[]) => runCli(args, env)};
};

describe('x-todo commands', () => {
  it('adds, lists, marks done and removes todos, keeping them in the file', async () => {
    const {file, x} = await setUp();
    expect(await x('list')).toEqual({
      code: 0,
      stdout: 'no todos yet (add one: x-todo add <text>)\n',
      stderr: '',
    });
    expect(await x('add', 'Buy', 'milk')).toEqual({
      code: 0,
      stdout: 'added #1: Buy milk\n',
      stderr: '',
    });
    expect((await x('add', 'Walk the dog')).stdout).toBe('added #2: Walk the dog\n');
    expect((await x('add', 'Water the plants')).stdout).toBe('added #3: Water the plants\n');
    expect((await x('done', '2')).stdout).toBe('done #2: Walk the dog\n');
    expect((await x('rm', '1')).stdout).toBe('removed #1: Buy milk\n');
    expect((await x('list')).stdout).toBe('[x]  2  Walk the dog\n[ ]  3  Water the plants\n');
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual([
      {
        todos: {
          '2': {text: 'Walk the dog', done: true},
          '3': {text: 'Water the plants', done: false},
        },
      },
      {nextId: 4},
    ]);
  });

  it('never reuses the number of a removed todo', async () => {
    const {x} = await setUp();
    await x('add', 'one');
    await x('add', 'two');
    await x('rm', '2');
    expect((await x('add', 'three')).stdout).toBe('added #3: three\n');
  });

  it('lists ids in numeric order', async () => {
    const {x} = await setUp();
    for (let i = 1; i <= 11; i++) {
      expect(await x('add', `todo ${i}`)).toEqual({
        code: 0,
        stdout: `added #${i}: todo ${i}\n`,
        stderr: '',
      });
    }
    const ids = (await x('list')).stdout
      .trim()
      .split('\n')
      .map((line) => line.slice(4, 6).trim());
    expect(ids).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11']);
  });

  it('help prints the usage', async () => {
    const {x} = await setUp();
    const result = await x('help');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('usage: x-todo [--file <path>] <command>');
    expect((await x('--help')).stdout).toBe(result.stdout);
  });
});

describe('where the data file is', () => {
  it('defaults to $XDG_DATA_HOME/x-todo/todos.json', async () => {
    const folder = await makeTempFolder();
    const env = cleanEnv({XDG_DATA_HOME: join(folder, 'data'), HOME: join(folder, 'home')});
    expect((await runCli(['add', 'milk'], env)).code).toBe(0);
    const saved = JSON.parse(await readFile(join(folder, 'data', 'x-todo', 'todos.json'), 'utf8'));
    expect(saved[0].todos['1'].text).toBe('milk');
  });

  it('else to ~/.local/share/x-todo/todos.json', async () => {
    const folder = await makeTempFolder();
    const env = cleanEnv({HOME: folder});
    expect((await runCli(['add', 'milk'], env)).code).toBe(0);
    const path = join(folder, '.local', 'share', 'x-todo', 'todos.json');
    expect(JSON.parse(await readFile(path, 'utf8'))[0].todos['1'].text).toBe('milk');
  });

  it('--file wins over TODO_FILE, which wins over XDG_DATA_HOME', async () => {
    const folder = await makeTempFolder();
    const env = cleanEnv({
      HOME: folder,
      XDG_DATA_HOME: join(folder, 'xdg'),
      TODO_FILE: join(folder, 'env.json'),
    });
    await runCli(['add', 'by env'], env);
    await runCli(['--file', join(folder, 'flag.json'), 'add', 'by flag'], env);
    await runCli(['add', 'by flag too', `--file=${join(folder, 'flag.json')}`], env);
    expect(JSON.parse(await readFile(join(folder, 'env.json'), 'utf8'))[0].todos).toEqual({
      '1': {text: 'by env', done: false},
    });
    expect(JSON.parse(await readFile(join(folder, 'flag.json'), 'utf8'))[0].todos).toEqual({
      '1': {text: 'by flag', done: false},
      '2': {text: 'by flag too', done: false},
    });
  });
});

describe('several processes at once', () => {
  it('a lock left by a killed command does not block the next one', async () => {
    const {folder, x} = await setUp();
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid as number;
    await writeFile(join(folder, '.todos.json.x-todo.lock'), String(deadPid));
    const result = await x('add', 'after a crash');
    expect(result).toEqual({code: 0, stdout: 'added #1: after a crash\n', stderr: ''});
    expect(await readdir(folder)).toEqual(['todos.json']);
  });

  it('keeps every todo when adds and changes run at the same time', async () => {
    const {file, x} = await setUp();
    await x('add', 'first');
    await x('add', 'second');
    const results = await Promise.all([
      x('add', 'a'),
      x('add', 'b'),
      x('add', 'c'),
      x('add', 'd'),
      x('done', '1'),
      x('done', '2'),
    ]);
    expect(results.map((result) => result.code)).toEqual([0, 0, 0, 0, 0, 0]);
    const [{todos}] = JSON.parse(await readFile(file, 'utf8'));
    expect(
      Object.values(todos)
        .map((todo) => (todo as {text: string}).text)
        .sort(),
    ).toEqual(['a', 'b', 'c', 'd', 'first', 'second']);
    expect(todos['1'].done && todos['2'].done).toBe(true);
    // every "added #n" line names a different number
    const added = results.slice(0, 4).map((result) => result.stdout.match(/^added #(\d+):/)?.[1]);
    expect(new Set(added).size).toBe(4);
  });
});
