// `watch` shows changes made by other processes and stops cleanly on a signal.
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {
  cleanEnv,
  makeTempFolder,
  removeTempFolders,
  runCli,
  startCli,
  waitFor,
} from './support/runCli';

afterEach(removeTempFolders);

describe('x-todo watch', () => {
  it.each([['SIGINT'], ['SIGTERM']] as const)(
    "shows another process's changes live and exits cleanly on %s",
    async (signal) => {
      const folder = await makeTempFolder();
      const env = cleanEnv({TODO_FILE: join(folder, 'todos.json'), HOME: folder});
      await runCli(['add', 'Buy milk'], env);
      const watcher = startCli(['watch'], env);
      try {
        await waitFor(() => watcher.output.stdout.includes('1 todo, 0 done'), 'the first list');
        expect(watcher.output.stdout).toContain('[ ]  1  Buy milk');
        expect((await runCli(['add', 'Walk the dog'], env)).code).toBe(0);
        await waitFor(() => watcher.output.stdout.includes('2 todos, 0 done'), 'the added todo');
        expect((await runCli(['done', '1'], env)).code).toBe(0);
        await waitFor(() => watcher.output.stdout.includes('2 todos, 1 done'), 'the done todo');
        expect(watcher.output.stdout).toContain('[x]  1  Buy milk\n[ ]  2  Walk the dog');
        watcher.child.kill(signal);
        expect(await watcher.exited).toBe(0);
        expect(watcher.output.stdout.endsWith('-- stopped watching --\n')).toBe(true);
        expect(watcher.output.stderr).toBe('');
      } finally {
        watcher.child.kill('SIGKILL');
      }
    },
  );

  it('starts on a missing file and shows the first todo when it appears', async () => {
    const folder = await makeTempFolder();
    const env = cleanEnv({TODO_FILE: join(folder, 'sub', 'todos.json'), HOME: folder});
    const watcher = startCli(['watch'], env);
    try {
      await waitFor(() => watcher.output.stdout.includes('0 todos, 0 done'), 'the empty list');
      await runCli(['add', 'First'], env);
      await waitFor(() => watcher.output.stdout.includes('[ ]  1  First'), 'the first todo');
      watcher.child.kill('SIGINT');
      expect(await watcher.exited).toBe(0);
    } finally {
      watcher.child.kill('SIGKILL');
    }
  });
});
