// The helpers that decide what a result is and how it is shown.
import {describe, expect, it} from 'vitest';
import {formatCell, formatRatio, markdownTable, median, summarize} from '../src/format';
import {canonicalJson, sameContent} from '../src/verify';

describe('median and summary', () => {
  it('takes the middle sample, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(summarize([5, 1, 9])).toEqual({
      status: 'ok',
      median: 5,
      min: 1,
      max: 9,
      samples: [5, 1, 9],
    });
  });
});

describe('content comparison', () => {
  it('ignores key order and prototypes, not values', () => {
    const nullProto = Object.assign(Object.create(null), {b: 1, a: {y: true, x: 'z'}});
    expect(sameContent({a: {x: 'z', y: true}, b: 1}, nullProto)).toBe(true);
    expect(sameContent({a: 1}, {a: '1'})).toBe(false);
    expect(sameContent([{a: 1}, {}], [{a: 1}, {b: null}])).toBe(false);
    expect(canonicalJson({__proto__: null, b: [1, 2], a: null})).toBe('{"a":null,"b":[1,2]}');
  });
});

describe('table cells', () => {
  it('shows a wrong result as WRONG, never as a figure', () => {
    expect(formatCell({status: 'wrong', reason: 'never converged'}, 'ms')).toBe(
      'WRONG: never converged',
    );
    expect(
      formatCell({status: 'ok', median: 12.34, min: 11, max: 15, samples: [11, 12.34, 15]}, 'ms'),
    ).toBe('12.3 ms (11.0–15.0)');
    expect(
      formatCell({status: 'ok', median: 12345, min: 12345, max: 12345, samples: [12345]}, 'B'),
    ).toBe('12,345 B');
  });

  it('marks floors and leaves the ratio out when one side has no figure', () => {
    const table = markdownTable([
      {
        label: 'a',
        unit: 'ms',
        floor: true,
        x: {status: 'ok', median: 1, min: 1, max: 1, samples: [1]},
      },
      {label: 'b', unit: 'ms', x: {status: 'not-ready', reason: 'later'}},
    ]);
    expect(table).toContain('| a | 1.00 ms |  | floor |');
    expect(table).toContain('| b | not ready (later) |  | — |');
  });
});

describe('ratios', () => {
  it('keeps two significant digits for tiny ratios, so 1 write against 1,000 is not 0.00', () => {
    expect(formatRatio(1 / 1000)).toBe('0.0010');
    expect(formatRatio(0.456)).toBe('0.46');
    expect(formatRatio(2)).toBe('2.00');
    expect(formatRatio(undefined)).toBe('—');
  });
});
