// The runner's side of one child process (child.ts): start it, ask it for
// one run at a time, stop it. Every wait is bounded.
import {spawn} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import type {ChildMessage, LibName, RunnerMessage} from './types';

const benchDir = fileURLToPath(new URL('..', import.meta.url));
// Built next to this file (dist/child.js), like every entry point.
const childPath = fileURLToPath(new URL('child.js', import.meta.url));

/**
 * Starts `child.js` for one scenario and library. Every method resolves to a
 * message from the child: `{type: 'ready'}`, `{type: 'figures', figures}`, or
 * `{type: 'failed', result}` (also when the process dies or does not answer in time).
 */
export const startChild = (scenarioId: string, lib: LibName, quick: boolean) => {
  const child = spawn(
    process.execPath,
    [
      '--expose-gc',
      childPath,
      '--scenario',
      scenarioId,
      '--lib',
      lib,
      ...(quick ? ['--quick'] : []),
    ],
    {cwd: benchDir, stdio: ['ignore', 'inherit', 'pipe', 'ipc']},
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<unknown>((resolve) =>
    child.on('exit', (code, signal) => resolve({code, signal})),
  );
  const stderrTail = () => stderr.trim().split('\n').slice(-3).join(' ');

  /** The next message from the child, or a failure when it exits or times out. */
  const next = (timeoutMs: number): Promise<ChildMessage> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        done({status: 'error', reason: `no answer within ${timeoutMs / 1000} s`});
        child.kill('SIGKILL');
      }, timeoutMs);
      const onMessage = (msg: ChildMessage) => done(undefined, msg);
      const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
        done({status: 'error', reason: `exited (${signal ?? code}): ${stderrTail()}`});
      const done = (failure: {status: 'error'; reason: string} | undefined, msg?: ChildMessage) => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(failure ? {type: 'failed', result: failure} : (msg as ChildMessage));
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
    });

  return {
    ready: next(60_000),
    run(run: number, timeoutMs: number): Promise<ChildMessage> {
      const answer = next(timeoutMs);
      child.send({type: 'run', run} satisfies RunnerMessage);
      return answer;
    },
    /** Asks the child to tear down and exit; kills it if it does not within 10 s. */
    async stop(): Promise<void> {
      if (child.exitCode === null && child.signalCode === null) {
        if (child.connected) child.send({type: 'done'} satisfies RunnerMessage);
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
};
