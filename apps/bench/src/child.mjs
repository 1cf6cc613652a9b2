// One scenario for one library, in a fresh Node process started by run.mjs
// (with --expose-gc and an IPC channel). The runner drives it run by run, taking
// turns with the other library's process, so that a change in the machine's
// load hits both libraries alike. Messages:
//   child -> runner: {type: 'ready'} | {type: 'figures', figures} | {type: 'failed', result}
//   runner -> child: {type: 'run', run} | {type: 'done'}
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {parseArgs} from 'node:util';
import {loadLib} from './libs.mjs';
import {scenarioById} from './scenarios/index.mjs';
import {NotReady, WrongResult} from './verify.mjs';

const {values: args} = parseArgs({
  options: {
    scenario: {type: 'string'},
    lib: {type: 'string'},
    quick: {type: 'boolean', default: false},
  },
});

const scenario = scenarioById(args.scenario);
const size = args.quick ? scenario.size.quick : scenario.size.full;
const message = (error) => String(error?.message ?? error).split('\n')[0];

/** What a thrown error means for the result. */
const failure = (error) => {
  if (error instanceof NotReady) return {status: 'not-ready', reason: error.message};
  if (error instanceof WrongResult) return {status: 'wrong', reason: error.message};
  console.error(error);
  return {status: 'error', reason: message(error)};
};

/** One run in its own temporary folder; resolves to the scenario's figures. */
const runOnce = async (lib, run) => {
  const tmpDir = await mkdtemp(join(tmpdir(), `x-bench-${scenario.id}-`));
  // Any error a persister reports while being measured makes the run wrong:
  // a figure only counts for the normal, successful path.
  const ignoredErrors = [];
  const ctx = {tmpDir, run, onIgnoredError: (error) => ignoredErrors.push(error)};
  try {
    const figures = await scenario.run(lib, size, ctx);
    if (ignoredErrors.length) {
      throw new WrongResult(`persister reported an error: ${message(ignoredErrors[0])}`);
    }
    return figures;
  } finally {
    await rm(tmpDir, {recursive: true, force: true});
  }
};

const send = (msg) => new Promise((resolve) => process.send(msg, resolve));

// Persisters left behind by a failed run may hold timers or watchers: exit explicitly.
const finish = async () => {
  try {
    await scenario.teardown?.();
  } finally {
    process.exit(0);
  }
};

let lib;
try {
  await scenario.setup?.();
  lib = await loadLib(args.lib, scenario.needs);
} catch (error) {
  await send({type: 'failed', result: failure(error)});
  await finish();
}

process.on('message', async (msg) => {
  if (msg.type === 'done') return finish();
  try {
    await send({type: 'figures', figures: await runOnce(lib, msg.run)});
  } catch (error) {
    await send({type: 'failed', result: failure(error)});
  }
});
await send({type: 'ready'});
