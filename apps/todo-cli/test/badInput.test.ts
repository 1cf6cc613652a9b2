// Bad input: one clear line on stderr, a non-zero exit, and the data file untouched.
import {readdir, readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {cleanEnv, makeTempFolder, removeTempFolders, runCli} from './support/runCli';

afterEach(removeTempFolders);

const setUp = async () => {
  const folder = await makeTempFolder();
  const file = join(folder, 'todos.json');
  const env = cleanEnv({TODO_FILE: file, HOME: folder});
  const x = (...args: string[]) => runCli(args, env);
  await x('add', 'Buy milk');
  const before = await readFile(file, 'utf8');
  return {folder, file, x, before};
};

const expectOneLineError = (
  result: {code: number; stdout: string; stderr: string},
  code: number,
  message: RegExp,
) => {
  expect(result.code).toBe(code);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/^x-todo: [^\n]+\n$/);
  expect(result.stderr).toMatch(message);
};

describe('usage mistakes exit with 2', () => {
  it.each([
    [['frob'], /unknown command "frob" \(try: add, list, done, rm, watch, help\)/],
    [[], /missing command/],
    [['done'], /missing id \(usage: x-todo done <id>\)/],
    [['rm'], /missing id \(usage: x-todo rm <id>\)/],
    [['done', '1', '2'], /one id at a time/],
    [['add'], /missing text/],
    [['add', '   '], /missing text/],
    [['--file'], /--file needs a path/],
    [['--frob', 'list'], /unknown option "--frob"/],
    [['watch', 'now'], /watch takes no arguments/],
  ])('x-todo %j', async (args, message) => {
    const {file, x, before} = await setUp();
    expectOneLineError(await x(...args), 2, message);
    expect(await readFile(file, 'utf8')).toBe(before);
  });
});

describe('an unknown id exits with 1 and writes nothing', () => {
  it.each([['done'], ['rm']])('x-todo %s 9', async (command) => {
    const {file, x, before} = await setUp();
    expectOneLineError(await x(command, '9'), 1, /no todo with id 9/);
    expect(await readFile(file, 'utf8')).toBe(before);
  });
});

describe('a corrupt data file', () => {
  it.each([
    ['half-written JSON', '[{"todos": {"1": {"text": "Buy milk"'],
    ['the wrong shape', '{"todos": []}'],
  ])('holding %s: every command says so and leaves it as it was', async (_, corrupt) => {
    const {folder, file, x} = await setUp();
    await writeFile(file, corrupt);
    for (const args of [['list'], ['add', 'Eggs'], ['done', '1'], ['rm', '1'], ['watch']]) {
      const result = await x(...args);
      expectOneLineError(result, 1, new RegExp(`Cannot read ${file}: .*left as it is`));
      expect(await readFile(file, 'utf8')).toBe(corrupt);
    }
    expect(await readdir(folder)).toEqual(['todos.json']);
  });
});
