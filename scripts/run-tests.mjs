#!/usr/bin/env node
// `pnpm test`: lints, typechecks and tests every package through turbo (cached), then adds up
// the vitest JSON reports into one closing line "N passed, N failed". Exits
// non-zero when anything failed or when no test ran at all.
import {spawnSync} from 'node:child_process';
import {existsSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {join} from 'node:path';

const root = join(import.meta.dirname, '..');
const workspaces = [
  ...['packages', 'apps'].flatMap((dir) =>
    existsSync(join(root, dir))
      ? readdirSync(join(root, dir)).map((name) => join(root, dir, name))
      : [],
  ),
  // The API reference check and the guides' examples.
  join(root, 'docs'),
];
const reportOf = (workspace) => join(workspace, 'test-results', 'vitest.json');

// A stale report from an earlier run must never be counted: turbo restores
// the report from its cache when it replays a package, or writes a new one.
for (const workspace of workspaces) rmSync(reportOf(workspace), {force: true});

const turbo = spawnSync(
  'pnpm',
  // One task at a time: several suites start servers, child processes and
  // Chromium, and timing-sensitive tests should not fight for 2 cores.
  [
    'exec',
    'turbo',
    'run',
    'lint',
    'typecheck',
    'test',
    '--continue',
    '--concurrency=1',
    ...process.argv.slice(2),
  ],
  {cwd: root, stdio: 'inherit', env: {TURBO_TELEMETRY_DISABLED: '1', ...process.env}},
);

let passed = 0;
let failed = 0;
let skipped = 0;
const broken = [];
for (const workspace of workspaces) {
  const file = reportOf(workspace);
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  // A test file that fails to load counts no failed test, but is a failure.
  if (!report.success && report.numFailedTests === 0) {
    failed += 1;
    broken.push(workspace);
  }
}
if (broken.length) console.log(`test files that failed to run in: ${broken.join(', ')}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(turbo.status !== 0 || failed > 0 || passed === 0 ? 1 : 0);
