// `pnpm demo` tells the tour it promises, and cleans up after itself.
import {execFile} from 'node:child_process';
import {readdir} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';

const demo = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'demo.js');

describe('the demo', () => {
  it("adds, lists, shows the watcher pick up another process's change, lists after restart", async () => {
    const before = (await readdir(tmpdir())).filter((entry) => entry.startsWith('x-todo-demo-'));
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [demo], {timeout: 30_000}, (error, out, err) =>
        error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out),
      ),
    );
    expect(stdout).toContain('$ x-todo add "Buy milk"\nadded #1: Buy milk\n');
    expect(stdout).toContain('$ x-todo done 2      # a second process\ndone #2: Walk the dog\n');
    expect(stdout).toMatch(/│ -- 3 todos, 0 done [^\n]*\n[\s\S]*│ -- 3 todos, 1 done/);
    expect(stdout).toContain('│ -- stopped watching --');
    const restart = stdout.slice(stdout.indexOf('A fresh process'));
    expect(restart).toContain('[ ]  1  Buy milk\n[x]  2  Walk the dog\n[ ]  3  Water the plants');
    expect(stdout).toContain('x-todo: no todo with id 9');
    expect(stdout).toContain('(exit code 1)');
    const after = (await readdir(tmpdir())).filter((entry) => entry.startsWith('x-todo-demo-'));
    expect(after).toEqual(before);
  });
});
