// A strong ETag per version: a hash of the content in a canonical form (keys
// sorted), so that the same content always has the same ETag, whatever order
// its keys arrived in, and a new ETag means new content.
import {createHash} from 'node:crypto';
import type {Content} from '@x/store';

/**
 * JSON with object keys sorted at every level. Builds the text directly (no
 * intermediate objects), so ids such as `__proto__` are plain keys.
 *
 * @example
 * canonicalJson([{t: {r: {b: 1, a: 2}}}, {}]); // '[{"t":{"r":{"a":2,"b":1}}},{}]'
 */
export const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
};

/**
 * The strong ETag of some content: `"` + base64url(SHA-256(canonical JSON)) + `"`.
 *
 * @example
 * etagOf([{}, {}]); // '"RBNvo1WzZ4oRRq0W9-hknpT7T8If536DEMBg9hyq_4o"'
 */
export const etagOf = (content: Content): string =>
  `"${createHash('sha256').update(canonicalJson(content)).digest('base64url')}"`;
