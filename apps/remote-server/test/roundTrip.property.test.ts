// Any valid content POSTed comes back unchanged from GET, with the ETag the
// scheme says; the same content in another key order keeps that ETag.
import fc from 'fast-check';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {etagOf} from '../src/etag';
import {postJson, type Running, send, startServer} from './helpers';

let running: Running;
beforeAll(async () => {
  running = await startServer();
});
afterAll(async () => {
  await running.destroy();
});

const id = fc.oneof(
  fc.string({minLength: 1, maxLength: 6}),
  fc.constantFrom('__proto__', 'constructor', 'prototype', '0', ''),
);
const cell = fc.oneof(
  fc.string({maxLength: 8}),
  fc.double({noNaN: true, noDefaultInfinity: true}).map((n) => (Object.is(n, -0) ? 0 : n)),
  fc.boolean(),
  fc.constant(null),
);
const content = fc.tuple(
  fc.dictionary(id, fc.dictionary(id, fc.dictionary(id, cell, {minKeys: 1}), {minKeys: 1})),
  fc.dictionary(id, cell),
);

/** Rebuilds a JSON text with every object's keys in reverse order. */
const reversedJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(reversedJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).reverse();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${reversedJson(record[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
};

let documents = 0;

it('round-trips any content with its canonical ETag (property)', async () => {
  await fc.assert(
    fc.asyncProperty(content, async (value) => {
      const url = `${running.url}/stores/p${documents++}`;
      const saved = await postJson(url, JSON.stringify(value));
      expect(saved.status).toBe(204);
      expect(saved.headers.etag).toBe(etagOf(value));
      const got = await send(url);
      expect(JSON.parse(got.text)).toEqual(value);
      const again = await postJson(url, reversedJson(value), {'if-match': saved.headers.etag!});
      expect(again.status).toBe(204);
      expect(again.headers.etag).toBe(saved.headers.etag);
    }),
    {numRuns: 40},
  );
});
