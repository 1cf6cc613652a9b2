// Content compared by value: JSON with keys sorted at every level, so that
// the same content read twice compares equal whatever its key order.

/**
 * JSON with object keys sorted at every level; ids such as `__proto__` are
 * plain keys (no intermediate objects are built).
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
