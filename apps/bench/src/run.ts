// `pnpm --filter bench bench [-- --quick] [--runs N] [--warmup N] [--only 1,4] [--lib x|tinybase]
//   [--out file.json] | --render results/latest.json`
// Runs each scenario for each library in its own child Node process, prints the
// table, and writes the figures as JSON and a markdown table.
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {startChild} from './child-process';
import {formatCell, formatRatio, reportMarkdown, summarize} from './format';
import {LIB_NAMES, LIBS} from './libs';
import {describeMachine, machine} from './machine';
import {SCENARIOS} from './scenarios/index';
import type {LibName, LibResult, Report, Row, Scenario} from './types';

const benchDir = fileURLToPath(new URL('..', import.meta.url));

const {values: args} = parseArgs({
  // `pnpm bench -- --quick` may hand the `--` through: it is not a terminator here.
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    quick: {type: 'boolean', default: false},
    runs: {type: 'string'},
    warmup: {type: 'string'},
    only: {type: 'string'},
    lib: {type: 'string'},
    out: {type: 'string'},
    render: {type: 'string'},
  },
});

// `--render results/latest.json`: rewrite the markdown beside a JSON report, measuring nothing.
if (args.render) {
  const report: Report = JSON.parse(readFileSync(args.render, 'utf8'));
  writeFileSync(`${args.render.replace(/\.json$/, '')}.md`, reportMarkdown(report));
  process.exit(0);
}

const quick = args.quick === true;
const runs = Number(args.runs ?? (quick ? 1 : 5));
const warmup = Number(args.warmup ?? (quick ? 0 : 1));
const only = args.only?.split(',').map((id) => id.trim());
const scenarios = only ? SCENARIOS.filter(({id}) => only.includes(id)) : SCENARIOS;
// One run of one library; TinyBase's slowest full run (scenario 5) takes about two minutes.
const runTimeoutMs = quick ? 60_000 : 400_000;

/** Run counts of one scenario: a scenario may ask for fewer in a full run (and says why). */
const countsOf = (scenario: Scenario): {runs: number; warmup: number} => {
  if (scenario.deterministic) return {runs: 1, warmup: 0};
  const own = quick ? undefined : scenario.fullRuns;
  return {
    runs: Number(args.runs ?? own?.runs ?? runs),
    warmup: Number(args.warmup ?? own?.warmup ?? warmup),
  };
};

/**
 * Runs one scenario: one fresh process per library, started before any
 * measurement, then the runs taking turns (x, TinyBase, TinyBase, x, ...) so
 * that a change in the machine's load falls on both libraries alike.
 */
const runScenario = async (
  scenario: Scenario,
  libs: LibName[],
): Promise<{[lib: string]: LibResult}> => {
  const {runs: measured, warmup: warm} = countsOf(scenario);
  const results: {[lib: string]: LibResult} = {};
  const children: {[lib: string]: ReturnType<typeof startChild>} = {};
  for (const lib of libs) {
    const child = startChild(scenario.id, lib, quick);
    const ready = await child.ready;
    if (ready.type === 'ready') {
      children[lib] = child;
      results[lib] = {status: 'ok', samples: {}, notReady: {}, seconds: 0};
    } else {
      results[lib] =
        ready.type === 'failed' ? ready.result : {status: 'error', reason: 'unexpected message'};
      await child.stop();
    }
  }
  for (let run = 0; run < warm + measured; run++) {
    const order = run % 2 ? [...libs].reverse() : libs;
    for (const lib of order) {
      const child = children[lib];
      const result = results[lib];
      if (!child || result.status !== 'ok') continue;
      const t0 = performance.now();
      const answer = await child.run(run, runTimeoutMs);
      result.seconds += (performance.now() - t0) / 1000;
      if (answer.type !== 'figures') {
        results[lib] =
          answer.type === 'failed'
            ? answer.result
            : {status: 'error', reason: 'unexpected message'};
        await child.stop();
        delete children[lib];
        continue;
      }
      if (run < warm) continue;
      for (const [key, figure] of Object.entries(answer.figures)) {
        if (typeof figure !== 'number') result.notReady[key] = figure.notReady;
        else if (result.samples[key]) result.samples[key].push(figure);
        else result.samples[key] = [figure];
      }
    }
  }
  for (const child of Object.values(children)) await child.stop();
  return results;
};

/** One table row per metric, with both libraries' figures and the ratio. */
const rowsOf = (scenario: Scenario, results: {[lib: string]: LibResult}): Row[] =>
  scenario.metrics.map((metric) => {
    const entryOf = (lib: LibName): Row['x'] => {
      const result = results[lib];
      if (result.status !== 'ok') return result;
      const samples = result.samples[metric.key];
      if (samples) return summarize(samples);
      const notReady = result.notReady[metric.key];
      if (notReady) return {status: 'not-ready', reason: notReady};
      return {status: 'error', reason: 'the scenario gave no figure'};
    };
    const title = scenario.title(quick ? scenario.size.quick : scenario.size.full);
    const row: Row = {
      scenario: scenario.id,
      metric: metric.key,
      label: `${scenario.id}. ${title}${scenario.metrics.length > 1 ? `: ${metric.label}` : ''}`,
      unit: metric.unit,
      floor: metric.floor === true,
      ...countsOf(scenario),
      x: entryOf('x'),
      tinybase: entryOf('tinybase'),
    };
    if (row.x.status === 'ok' && row.tinybase.status === 'ok' && row.tinybase.median > 0) {
      row.ratio = row.x.median / row.tinybase.median;
    }
    return row;
  });

const started = new Date();
const info = machine();
const tinybaseVersion: string = JSON.parse(
  readFileSync(join(benchDir, 'node_modules/tinybase/package.json'), 'utf8'),
).version;
console.log(
  `@x vs TinyBase ${tinybaseVersion}: ${quick ? 'quick (small sizes)' : 'full'}, ` +
    `${runs} run(s) after ${warmup} warm-up, one process per scenario and library, runs taking turns`,
);
console.log(describeMachine(info));

const rows: Row[] = [];
for (const scenario of scenarios) {
  const results: {[lib: string]: LibResult} = {};
  const libs: LibName[] = [];
  for (const lib of LIB_NAMES) {
    if (scenario.libs && !scenario.libs.includes(lib)) {
      results[lib] = {status: 'n/a', reason: scenario.notApplicable ?? 'not applicable'};
    } else if (args.lib && args.lib !== lib) {
      results[lib] = {status: 'skipped', reason: `--lib ${args.lib}`};
    } else libs.push(lib);
  }
  Object.assign(results, await runScenario(scenario, libs));
  for (const lib of libs) {
    const result = results[lib];
    const time = result.status === 'ok' ? ` (${result.seconds.toFixed(1)} s)` : '';
    console.log(`  ${scenario.id}. ${LIBS[lib].label}: ${result.status}${time}`);
  }
  for (const row of rowsOf(scenario, results)) {
    rows.push(row);
    const ratio = row.ratio === undefined ? '' : ` | ratio ${formatRatio(row.ratio)}`;
    console.log(
      `${row.label}\n    @x ${formatCell(row.x, row.unit)} | ` +
        `TinyBase ${formatCell(row.tinybase, row.unit)}${ratio}`,
    );
  }
}

const notes = scenarios
  .filter((scenario) => !quick && !args.runs && scenario.fullRuns)
  .map(({id, fullRuns}) => {
    const own = fullRuns as NonNullable<Scenario['fullRuns']>;
    return `Scenario ${id}: ${own.runs} runs after ${own.warmup} warm-up (${own.why}).`;
  });
const report: Report = {
  date: started.toISOString(),
  machine: info,
  tinybase: tinybaseVersion,
  mode: quick ? 'quick' : 'full',
  runs,
  warmup,
  notes,
  rows,
};
const markdown = reportMarkdown(report);
console.log(`\n${markdown}`);

const resultsDir = join(benchDir, 'results');
const outFile =
  args.out ?? process.env.BENCH_OUT ?? join(resultsDir, quick ? 'quick.json' : 'latest.json');
mkdirSync(dirname(outFile), {recursive: true});
const json = `${JSON.stringify(report, null, 2)}\n`;
writeFileSync(outFile, json);
writeFileSync(`${outFile.replace(/\.json$/, '')}.md`, markdown);
if (!quick && !args.out && !process.env.BENCH_OUT) {
  // A dated copy, so that results can be compared over time.
  writeFileSync(join(resultsDir, `${report.date.slice(0, 10)}.json`), json);
}
console.log(`figures written to ${outFile}`);

const failed = (entry: Row['x']) => entry.status === 'wrong' || entry.status === 'error';
process.exit(rows.some((row) => failed(row.x) || failed(row.tinybase)) ? 1 : 0);
