// One scenario, one library, one fresh Node process (started by run.mjs with
// --expose-gc): warm-up runs, then measured runs. Prints one line
// `BENCH_RESULT {json}` on stdout; everything else goes to stderr.
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
    runs: {type: 'string', default: '5'},
    warmup: {type: 'string', default: '1'},
  },
});

const scenario = scenarioById(args.scenario);
const size = args.quick ? scenario.size.quick : scenario.size.full;
const runs = scenario.deterministic ? 1 : Number(args.runs);
const warmup = scenario.deterministic ? 0 : Number(args.warmup);

const runAll = async () => {
  await scenario.setup?.();
  try {
    const lib = await loadLib(args.lib, scenario.needs);
    const samples = {};
    const notReady = {};
    for (let run = 0; run < warmup + runs; run++) {
      const tmpDir = await mkdtemp(join(tmpdir(), `x-bench-${scenario.id}-`));
      // Any error a persister reports while being measured makes the run wrong:
      // a figure only counts for the normal, successful path.
      const ignoredErrors = [];
      const ctx = {tmpDir, run, onIgnoredError: (error) => ignoredErrors.push(error)};
      let figures;
      try {
        figures = await scenario.run(lib, size, ctx);
      } finally {
        await rm(tmpDir, {recursive: true, force: true});
      }
      if (ignoredErrors.length) {
        throw new WrongResult(`persister reported an error: ${message(ignoredErrors[0])}`);
      }
      if (run < warmup) continue;
      for (const [key, figure] of Object.entries(figures)) {
        if (typeof figure !== 'number') notReady[key] = figure.notReady;
        else if (samples[key]) samples[key].push(figure);
        else samples[key] = [figure];
      }
    }
    return {status: 'ok', samples, notReady};
  } finally {
    await scenario.teardown?.();
  }
};

const message = (error) => String(error?.message ?? error).split('\n')[0];

let result;
try {
  result = await runAll();
} catch (error) {
  if (error instanceof NotReady) result = {status: 'not-ready', reason: error.message};
  else if (error instanceof WrongResult) result = {status: 'wrong', reason: error.message};
  else {
    console.error(error);
    result = {status: 'error', reason: message(error)};
  }
}
process.stdout.write(`\nBENCH_RESULT ${JSON.stringify(result)}\n`);
// Persisters that were not destroyed (after an error) may hold timers or watchers.
process.exit(0);
