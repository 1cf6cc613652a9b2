// The runner's side of one child process (child.mjs): start it, ask it for
// one run at a time, stop it. Every wait is bounded.
import {spawn} from 'node:child_process';
import {fileURLToPath} from 'node:url';

const benchDir = fileURLToPath(new URL('..', import.meta.url));
const childPath = fileURLToPath(new URL('child.mjs', import.meta.url));

/**
 * Starts `child.mjs` for one scenario and library. Every method resolves to a
 * message from the child: `{type: 'ready'}`, `{type: 'figures', figures}`, or
 * `{type: 'failed', result}` (also when the process dies or does not answer in time).
 */
export const startChild = (scenarioId, lib, quick) => {
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
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise((resolve) =>
    child.on('exit', (code, signal) => resolve({code, signal})),
  );
  const stderrTail = () => stderr.trim().split('\n').slice(-3).join(' ');

  /** The next message from the child, or a failure when it exits or times out. */
  const next = (timeoutMs) =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        done({status: 'error', reason: `no answer within ${timeoutMs / 1000} s`});
        child.kill('SIGKILL');
      }, timeoutMs);
      const onMessage = (msg) => done(undefined, msg);
      const onExit = (code, signal) =>
        done({status: 'error', reason: `exited (${signal ?? code}): ${stderrTail()}`});
      const done = (failure, msg) => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(failure ? {type: 'failed', result: failure} : msg);
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
    });

  return {
    ready: next(60_000),
    run(run, timeoutMs) {
      const answer = next(timeoutMs);
      child.send({type: 'run', run});
      return answer;
    },
    /** Asks the child to tear down and exit; kills it if it does not within 10 s. */
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        if (child.connected) child.send({type: 'done'});
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
};
