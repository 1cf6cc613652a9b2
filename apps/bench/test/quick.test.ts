// `pnpm bench --quick` as part of the test suite, so that the benchmark never
// rots: every scenario must give a figure for each library, or say plainly that
// our package is not ready; never a WRONG result or a crash.
import {execFile} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

type Entry = {status: string; reason?: string; median?: number; min?: number; max?: number};
type Row = {scenario: string; metric: string; label: string; x: Entry; tinybase: Entry};
type Report = {date: string; mode: string; machine: {cpu: string; node: string}; rows: Row[]};

const benchDir = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'x-bench-test-'));
const out = join(dir, 'quick.json');
let report: Report;
let exitCode: number | null;
let output: string;

// The `bench` script itself (it builds the runner, then runs it), as `pnpm bench --quick` does.
beforeAll(async () => {
  ({exitCode, output} = await new Promise<{exitCode: number | null; output: string}>((resolve) => {
    const child = execFile(
      'pnpm',
      ['run', '--silent', 'bench', '--', '--quick', '--out', out],
      {cwd: benchDir, maxBuffer: 16 * 1024 * 1024},
      (error, stdout, stderr) =>
        resolve({exitCode: error ? (child.exitCode ?? 1) : 0, output: stdout + stderr}),
    );
  }));
  report = JSON.parse(readFileSync(out, 'utf8'));
}, 170_000);

afterAll(() => rmSync(dir, {recursive: true, force: true}));

describe('pnpm bench --quick', () => {
  it('exits cleanly and writes the JSON and the markdown to the given path', () => {
    expect(exitCode, output).toBe(0);
    expect(report.mode).toBe('quick');
    expect(report.machine.node).toBe(process.version);
    expect(readFileSync(join(dir, 'quick.md'), 'utf8')).toContain('| scenario |');
  });

  it('does not touch results/latest.json when given --out', () => {
    const latest = fileURLToPath(new URL('../results/latest.json', import.meta.url));
    if (existsSync(latest)) expect(JSON.parse(readFileSync(latest, 'utf8')).mode).toBe('full');
  });

  it('covers every scenario of issue 9, and 11 of issue 13', () => {
    const ids = new Set(report.rows.map((row) => row.scenario));
    expect([...ids].sort((a, b) => Number(a) - Number(b))).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
      '10',
      '11',
    ]);
  });

  it('gives every figure as a number, or says plainly that @x is not ready', () => {
    for (const row of report.rows) {
      for (const lib of ['x', 'tinybase'] as const) {
        const entry = row[lib];
        const where = `${row.label} (${lib}): ${entry.status} ${entry.reason ?? ''}`;
        expect(['ok', 'not-ready', 'n/a'], where).toContain(entry.status);
        if (entry.status === 'ok') {
          expect(Number.isFinite(entry.median), where).toBe(true);
          expect(entry.min! <= entry.median! && entry.median! <= entry.max!, where).toBe(true);
        }
      }
    }
  });

  it('measures TinyBase everywhere it has an equivalent (only the remote server is ours alone)', () => {
    for (const row of report.rows) {
      if (row.scenario === '8') expect(row.tinybase.status).toBe('n/a');
      else expect(row.tinybase.status, `${row.label}: ${row.tinybase.reason}`).toBe('ok');
    }
  });
});
