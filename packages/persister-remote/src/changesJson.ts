// The body of an incremental save: the save's net Changes as JSON. JSON has
// no `undefined`, and a cell can be any JSON value (null, objects, arrays), so
// a deleted table or row is `null` (never null otherwise) and every cell or
// value is wrapped: `[cell]` when set, `[]` when deleted.
import type {Changes} from '@x/store';

/** The media type of a PATCH body; a server that takes it says so in `Accept-Patch`. */
export const CHANGES_MEDIA_TYPE = 'application/x-store-changes+json';

const mapOwn = <In, Out>(object: {[id: string]: In}, map: (value: In) => Out) => {
  const out: {[id: string]: Out} = {};
  for (const id of Object.keys(object)) {
    // defineProperty: an id such as `__proto__` stays an ordinary key.
    Object.defineProperty(out, id, {
      value: map(object[id] as In),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
};

/**
 * Writes `changes` in the PATCH wire format.
 *
 * @example
 * changesToJson([{pets: {fido: {color: undefined}}, old: undefined}, {open: true}, 1]);
 * // '[{"pets":{"fido":{"color":[]}},"old":null},{"open":[true]},1]'
 */
export const changesToJson = (changes: Changes): string =>
  JSON.stringify([
    mapOwn(changes[0], (table) =>
      table === undefined
        ? null
        : mapOwn(table, (row) =>
            row === undefined ? null : mapOwn(row, (cell) => (cell === undefined ? [] : [cell])),
          ),
    ),
    mapOwn(changes[1], (value) => (value === undefined ? [] : [value])),
    1,
  ]);

/**
 * Reads changes in the PATCH wire format back (as a change stream sends them):
 * `null` and `[]` become `undefined`, `[cell]` becomes `cell`; a cell or value
 * in another shape throws a TypeError. Other shapes are left as they are: the
 * persister core validates whatever it hears.
 *
 * @example
 * changesFromJson(JSON.parse('[{"pets":{"fido":null}},{"open":[]},1]'));
 * // [{pets: {fido: undefined}}, {open: undefined}, 1]
 */
export const changesFromJson = (value: unknown): unknown => {
  if (!Array.isArray(value) || value.length !== 3) return value;
  const isObject = (item: unknown): item is {[id: string]: unknown} =>
    typeof item === 'object' && item !== null && !Array.isArray(item);
  // `[]` deleted, `[cell]` set; anything else is not this format.
  const unwrap = (item: unknown) => {
    if (!Array.isArray(item) || item.length > 1) {
      throw new TypeError('changes: a cell or value must be [cell] or []');
    }
    return item.length === 0 ? undefined : item[0];
  };
  const [tables, values, marker] = value as [unknown, unknown, unknown];
  if (!isObject(tables) || !isObject(values)) return value;
  return [
    mapOwn(tables, (table) =>
      table === null
        ? undefined
        : isObject(table)
          ? mapOwn(table, (row) =>
              row === null ? undefined : isObject(row) ? mapOwn(row, unwrap) : row,
            )
          : table,
    ),
    mapOwn(values, unwrap),
    marker,
  ];
};

/** Whether a value holds the key `__proto__` at any depth (ids and JSON cells alike). */
const hasProtoKey = (value: unknown): boolean => {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(hasProtoKey);
  return Object.hasOwn(value, '__proto__') || Object.values(value).some(hasProtoKey);
};

/**
 * Whether changes can go as a PATCH: the reference server refuses `__proto__`
 * anywhere in a patch, as an id or as a key of a JSON cell (it never lets a
 * patch near a prototype), so such a save goes as a full POST instead, which
 * treats it as ordinary data.
 *
 * @example
 * canPatch([{t: {r: {c: 1}}}, {}, 1]); // true
 */
export const canPatch = (changes: Changes): boolean =>
  !hasProtoKey(changes[0]) && !hasProtoKey(changes[1]);
