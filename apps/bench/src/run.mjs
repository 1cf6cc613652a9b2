#!/usr/bin/env node
// `pnpm --filter bench bench [-- --quick] [--runs N] [--warmup N] [--only 1,4] [--lib x|tinybase]
//   [--out file.json]`
// Runs each scenario for each library in its own child Node process, prints the
// table, and writes the figures as JSON and a markdown table.
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {startChild} from './child-process.mjs';
import {formatCell, markdownTable, summarize} from './format.mjs';
import {LIBS} from './libs.mjs';
import {describeMachine, machine} from './machine.mjs';
import {SCENARIOS} from './scenarios/index.mjs';

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
  },
});

const quick = args.quick;
const runs = Number(args.runs ?? (quick ? 1 : 5));
const warmup = Number(args.warmup ?? (quick ? 0 : 1));
/** Run counts of one scenario: a scenario may ask for fewer in a full run (and says why). */
const countsOf = (scenario) => {
  if (scenario.deterministic) return {runs: 1, warmup: 0};
  const own = quick ? undefined : scenario.fullRuns;
  return {
    runs: Number(args.runs ?? own?.runs ?? runs),
    warmup: Number(args.warmup ?? own?.warmup ?? warmup),
  };
};
const only = args.only?.split(',').map((id) => id.trim());
// One run of one library; TinyBase's slowest full run (scenario 5) takes about two minutes.
const runTimeoutMs = quick ? 60_000 : 400_000;
const scenarios = only ? SCENARIOS.filter(({id}) => only.includes(id)) : SCENARIOS;

/**
 * Runs one scenario: one fresh process per library, started before any
 * measurement, then the runs taking turns (x, TinyBase, TinyBase, x, ...) so
 * that a change in the machine's load falls on both libraries alike. Resolves
 * to each library's result: `{status: 'ok', samples, notReady}` or a failure.
 */
const runScenario = async (scenario, libs) => {
  const {runs: measured, warmup: warm} = countsOf(scenario);
  const results = {};
  const children = {};
  for (const lib of libs) {
    const child = startChild(scenario.id, lib, quick);
    const ready = await child.ready;
    if (ready.type === 'ready') {
      children[lib] = child;
      results[lib] = {status: 'ok', samples: {}, notReady: {}, seconds: 0};
    } else {
      results[lib] = ready.result;
      await child.stop();
    }
  }
  for (let run = 0; run < warm + measured; run++) {
    const order = run % 2 ? [...libs].reverse() : libs;
    for (const lib of order.filter((l) => children[l])) {
      const t0 = performance.now();
      const answer = await children[lib].run(run, runTimeoutMs);
      results[lib].seconds += (performance.now() - t0) / 1000;
      if (answer.type !== 'figures') {
        results[lib] = answer.result;
        await children[lib].stop();
        delete children[lib];
        continue;
      }
      if (run < warm) continue;
      for (const [key, figure] of Object.entries(answer.figures)) {
        const {samples, notReady} = results[lib];
        if (typeof figure !== 'number') notReady[key] = figure.notReady;
        else if (samples[key]) samples[key].push(figure);
        else samples[key] = [figure];
      }
    }
  }
  for (const child of Object.values(children)) await child.stop();
  return results;
};

/** One table row per metric, with both libraries' figures and the ratio. */
const rowsOf = (scenario, results) =>
  scenario.metrics.map((metric) => {
    const row = {
      scenario: scenario.id,
      metric: metric.key,
      label: `${scenario.id}. ${scenario.title(quick ? scenario.size.quick : scenario.size.full)}${
        scenario.metrics.length > 1 ? `: ${metric.label}` : ''
      }`,
      unit: metric.unit,
      floor: metric.floor === true,
      ...countsOf(scenario),
    };
    for (const lib of Object.keys(LIBS)) {
      const result = results[lib];
      if (result.status !== 'ok') row[lib] = {status: result.status, reason: result.reason};
      else if (result.samples[metric.key]) {
        row[lib] = {status: 'ok', ...summarize(result.samples[metric.key])};
      } else if (result.notReady?.[metric.key]) {
        row[lib] = {status: 'not-ready', reason: result.notReady[metric.key]};
      } else row[lib] = {status: 'error', reason: 'the scenario gave no figure'};
    }
    if (row.x.status === 'ok' && row.tinybase.status === 'ok' && row.tinybase.median > 0) {
      row.ratio = row.x.median / row.tinybase.median;
    }
    return row;
  });

const started = new Date();
const info = machine();
const tinybaseVersion = JSON.parse(
  readFileSync(join(benchDir, 'node_modules/tinybase/package.json'), 'utf8'),
).version;
console.log(
  `@x vs TinyBase ${tinybaseVersion}: ${quick ? 'quick (small sizes)' : 'full'}, ` +
    `${runs} run(s) after ${warmup} warm-up, one process per scenario and library, runs taking turns`,
);
console.log(describeMachine(info));

const rows = [];
for (const scenario of scenarios) {
  const results = {};
  const libs = [];
  for (const lib of Object.keys(LIBS)) {
    if (scenario.libs && !scenario.libs.includes(lib)) {
      results[lib] = {status: 'n/a', reason: scenario.notApplicable};
    } else if (args.lib && args.lib !== lib) {
      results[lib] = {status: 'skipped', reason: `--lib ${args.lib}`};
    } else libs.push(lib);
  }
  Object.assign(results, await runScenario(scenario, libs));
  for (const lib of libs) {
    const {status, seconds} = results[lib];
    const time = seconds === undefined ? '' : ` (${seconds.toFixed(1)} s)`;
    console.log(`  ${scenario.id}. ${LIBS[lib].label}: ${status}${time}`);
  }
  for (const row of rowsOf(scenario, results)) {
    rows.push(row);
    console.log(
      `${row.label}\n    @x ${formatCell(row.x, row.unit)} | TinyBase ${formatCell(row.tinybase, row.unit)}` +
        (row.ratio === undefined ? '' : ` | ratio ${row.ratio.toFixed(2)}`),
    );
  }
}

const report = {
  date: started.toISOString(),
  machine: info,
  tinybase: tinybaseVersion,
  mode: quick ? 'quick' : 'full',
  runs,
  warmup,
  rows,
};
const caption =
  `@x vs TinyBase ${tinybaseVersion}, ${report.date.slice(0, 10)}, ${describeMachine(info)}. ` +
  `${quick ? 'Quick mode (small sizes). ' : ''}Median of ${runs} run(s) after ${warmup} warm-up, ` +
  'each library in its own process per scenario; ours / theirs: lower is better.' +
  scenarios
    .filter((scenario) => !quick && !args.runs && scenario.fullRuns)
    .map(
      ({id, fullRuns: own}) =>
        ` Scenario ${id}: ${own.runs} runs after ${own.warmup} warm-up (${own.why}).`,
    )
    .join('');
const markdown = `${caption}\n\n${markdownTable(rows)}\n`;
console.log(`\n${markdown}`);

const resultsDir = join(benchDir, 'results');
const outFile =
  args.out ?? process.env.BENCH_OUT ?? join(resultsDir, quick ? 'quick.json' : 'latest.json');
mkdirSync(dirname(outFile), {recursive: true});
writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(`${outFile.replace(/\.json$/, '')}.md`, markdown);
if (!quick && !args.out && !process.env.BENCH_OUT) {
  // A dated copy, so that results can be compared over time.
  writeFileSync(
    join(resultsDir, `${report.date.slice(0, 10)}.json`),
    `${JSON.stringify(report, null, 2)}\n`,
  );
}
console.log(`figures written to ${outFile}`);

const bad = rows.some(
  (row) =>
    ['wrong', 'error'].includes(row.x.status) || ['wrong', 'error'].includes(row.tinybase.status),
);
process.exit(bad ? 1 : 0);
