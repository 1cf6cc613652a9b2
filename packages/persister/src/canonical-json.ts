// Content compared by value: JSON with object keys sorted at every level, so
// the same content compares equal whatever order its keys arrived in. Used
// where a backend (or a server) must tell "changed" without a version number.

/**
 * JSON with object keys sorted at every level. Builds the text directly (no
 * intermediate objects), so ids such as `__proto__` are plain keys.
 *
 * @example
 * ```ts
 * canonicalJson([{t: {r: {b: 1, a: 2}}}, {}]); // -> '[{"t":{"r":{"a":2,"b":1}}},{}]'
 * ```
 */
export const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
  }
  return String(JSON.stringify(value));
};

/**
 * Whether two contents are equal by value, key order ignored.
 *
 * @example
 * ```ts
 * sameContent([{t: {r: {a: 1, b: 2}}}, {}], [{t: {r: {b: 2, a: 1}}}, {}]); // -> true
 * ```
 */
export const sameContent = (a: unknown, b: unknown): boolean =>
  canonicalJson(a) === canonicalJson(b);
