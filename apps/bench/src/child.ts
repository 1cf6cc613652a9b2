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
import {loadLib} from './libs';
import {scenarioById} from './scenarios/index';
import type {
  ChildMessage,
  Failure,
  Figures,
  Lib,
  LibName,
  RunContext,
  RunnerMessage,
} from './types';
import {NotReady, WrongResult} from './verify';

const {values: args} = parseArgs({
  options: {
    scenario: {type: 'string'},
    lib: {type: 'string'},
    quick: {type: 'boolean', default: false},
  },
});

const scenario = scenarioById(args.scenario ?? '');
if (!scenario) throw new Error(`no scenario ${args.scenario}`);
const libName = args.lib as LibName;
const size = args.quick ? scenario.size.quick : scenario.size.full;
const message = (error: unknown): string =>
  String((error as Error)?.message ?? error).split('\n')[0];

/** What a thrown error means for the result. */
const failure = (error: unknown): Failure => {
  if (error instanceof NotReady) return {status: 'not-ready', reason: error.message};
  if (error instanceof WrongResult) return {status: 'wrong', reason: error.message};
  console.error(error);
  return {status: 'error', reason: message(error)};
};

/** One run in its own temporary folder; resolves to the scenario's figures. */
const runOnce = async (lib: Lib, run: number): Promise<Figures> => {
  const tmpDir = await mkdtemp(join(tmpdir(), `x-bench-${scenario.id}-`));
  // Any error a persister reports while being measured makes the run wrong:
  // a figure only counts for the normal, successful path.
  const ignoredErrors: unknown[] = [];
  const ctx: RunContext = {tmpDir, run, onIgnoredError: (error) => ignoredErrors.push(error)};
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

const send = (msg: ChildMessage): Promise<void> =>
  new Promise((resolve) => process.send?.(msg, undefined, undefined, () => resolve()));

// Persisters left behind by a failed run may hold timers or watchers: exit explicitly.
const finish = async (): Promise<never> => {
  try {
    await scenario.teardown?.();
  } finally {
    process.exit(0);
  }
};

/** Globals and imports before any run; a failure here ends the process. */
const prepare = async (): Promise<Lib> => {
  try {
    await scenario.setup?.();
    return await loadLib(libName, scenario.needs);
  } catch (error) {
    await send({type: 'failed', result: failure(error)});
    return finish();
  }
};
const lib = await prepare();

process.on('message', async (msg: RunnerMessage) => {
  if (msg.type === 'done') return finish();
  try {
    await send({type: 'figures', figures: await runOnce(lib, msg.run)});
  } catch (error) {
    await send({type: 'failed', result: failure(error)});
  }
});
await send({type: 'ready'});
