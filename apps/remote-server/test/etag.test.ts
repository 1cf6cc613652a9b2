import {canonicalJson} from '@x/persister';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {ifMatchPasses, ifNoneMatchMatches} from '../src/conditions';
import {etagOf} from '../src/etag';

const id = fc.oneof(
  fc.string({maxLength: 6}),
  fc.constantFrom('__proto__', 'constructor', 'prototype'),
);
const cell = fc.oneof(
  fc.string({maxLength: 8}),
  fc.double({noNaN: true, noDefaultInfinity: true}),
  fc.boolean(),
  fc.constant(null),
);
const content = fc.tuple(
  fc.dictionary(id, fc.dictionary(id, fc.dictionary(id, cell, {minKeys: 1}), {minKeys: 1})),
  fc.dictionary(id, cell),
);

/** The same object with its keys in reverse order at every level. */
const reversed = (value: unknown): unknown => {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(reversed);
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(value).reverse()) {
    Object.defineProperty(result, key, {
      value: reversed((value as Record<string, unknown>)[key]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return result;
};

describe('etagOf', () => {
  it('is the same whatever the key order, and round-trips canonical JSON', () => {
    fc.assert(
      fc.property(content, (value) => {
        expect(etagOf(reversed(value) as typeof value)).toBe(etagOf(value));
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      {numRuns: 100},
    );
  });

  it('differs when the content differs', () => {
    fc.assert(
      fc.property(content, content, (a, b) => {
        if (canonicalJson(a) !== canonicalJson(b)) expect(etagOf(a)).not.toBe(etagOf(b));
      }),
      {numRuns: 100},
    );
  });
});

describe('conditional headers', () => {
  it('If-Match compares strongly, If-None-Match weakly', () => {
    expect(ifMatchPasses('"a"', '"a"')).toBe(true);
    expect(ifMatchPasses('"b", "a"', '"a"')).toBe(true);
    expect(ifMatchPasses('W/"a"', '"a"')).toBe(false);
    expect(ifMatchPasses('*', '"a"')).toBe(true);
    expect(ifMatchPasses('*', undefined)).toBe(false);
    expect(ifNoneMatchMatches('W/"a"', '"a"')).toBe(true);
    expect(ifNoneMatchMatches('"b"', '"a"')).toBe(false);
    expect(ifNoneMatchMatches('*', undefined)).toBe(false);
  });
});
