// Turning samples into figures and figures into a table.
import {describeMachine} from './machine';
import type {Entry, Report, Row, Unit} from './types';

export const median = (samples: number[]): number => {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** {median, min, max, samples} of a list of numbers. */
export const summarize = (samples: number[]): Entry & {status: 'ok'} => ({
  status: 'ok',
  median: median(samples),
  min: Math.min(...samples),
  max: Math.max(...samples),
  samples,
});

const significant = (n: number): string => {
  const abs = Math.abs(n);
  if (abs >= 100) return Math.round(n).toLocaleString('en-US');
  if (abs >= 10) return n.toFixed(1);
  return n.toFixed(2);
};

export const formatNumber = (n: number, unit: Unit): string => {
  if (unit === 'B' || unit === 'writes') return Math.round(n).toLocaleString('en-US');
  return significant(n);
};

/** One cell of the table: `12.3 ms (11.9–13.0)`, or what went wrong instead. */
export const formatCell = (entry: Entry | undefined, unit: Unit): string => {
  if (!entry) return '';
  switch (entry.status) {
    case 'ok': {
      const {median: m, min, max} = entry;
      const range = min === max ? '' : ` (${formatNumber(min, unit)}–${formatNumber(max, unit)})`;
      return `${formatNumber(m, unit)} ${unit}${range}`;
    }
    case 'not-ready':
      return `not ready (${entry.reason})`;
    case 'n/a':
      return `n/a (${entry.reason})`;
    case 'skipped':
      return `skipped (${entry.reason})`;
    case 'wrong':
      return `WRONG: ${entry.reason}`;
    default:
      return `ERROR: ${entry.reason}`;
  }
};

/** Two decimals, or two significant digits below 0.1 (1 write against 1,000 is 0.0010, not 0.00). */
export const formatRatio = (ratio: number | undefined): string => {
  if (ratio === undefined) return '—';
  return ratio !== 0 && ratio < 0.1 ? ratio.toPrecision(2) : ratio.toFixed(2);
};

/** The markdown table of all rows. */
export const markdownTable = (
  rows: (Pick<Row, 'label' | 'unit'> & Partial<Pick<Row, 'floor' | 'ratio' | 'x' | 'tinybase'>>)[],
): string => {
  const head = ['scenario', '@x median (min–max)', 'TinyBase median (min–max)', 'ours / theirs'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const row of rows) {
    const cells = [
      row.label,
      formatCell(row.x, row.unit),
      formatCell(row.tinybase, row.unit),
      row.floor ? 'floor' : formatRatio(row.ratio),
    ];
    lines.push(`| ${cells.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`);
  }
  return lines.join('\n');
};

/** The caption (date, machine, method) and the table: what goes into README. */
export const reportMarkdown = (report: Report): string => {
  const caption = [
    `@x vs TinyBase ${report.tinybase}, ${report.date.slice(0, 10)}, ${describeMachine(report.machine)}.`,
    report.mode === 'quick' ? 'Quick mode (small sizes).' : '',
    `Median of ${report.runs} run(s) after ${report.warmup} warm-up, each library in its own`,
    'process per scenario, runs taking turns; ours / theirs: lower is better.',
    ...report.notes,
  ]
    .filter(Boolean)
    .join(' ');
  return `${caption}\n\n${markdownTable(report.rows)}\n`;
};
