// The body of an incremental save: the save's net Changes as JSON. JSON has
// no `undefined`, so a deleted table or row is `null` (never null otherwise)
// and a deleted cell or value is `{}` (never an object otherwise).
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
 * // '[{"pets":{"fido":{"color":{}}},"old":null},{"open":true},1]'
 */
export const changesToJson = (changes: Changes): string =>
  JSON.stringify([
    mapOwn(changes[0], (table) =>
      table === undefined
        ? null
        : mapOwn(table, (row) =>
            row === undefined ? null : mapOwn(row, (cell) => (cell === undefined ? {} : cell)),
          ),
    ),
    mapOwn(changes[1], (value) => (value === undefined ? {} : value)),
    1,
  ]);

/**
 * Reads changes in the PATCH wire format back (as a change stream sends them):
 * markers become `undefined`. Shapes are not checked here: the persister core
 * validates whatever it hears.
 *
 * @example
 * changesFromJson(JSON.parse('[{"pets":{"fido":null}},{"open":{}},1]'));
 * // [{pets: {fido: undefined}}, {open: undefined}, 1]
 */
export const changesFromJson = (value: unknown): unknown => {
  if (!Array.isArray(value) || value.length !== 3) return value;
  const isObject = (item: unknown): item is {[id: string]: unknown} =>
    typeof item === 'object' && item !== null && !Array.isArray(item);
  const isMarker = (item: unknown) => isObject(item) && Object.keys(item).length === 0;
  const [tables, values, marker] = value as [unknown, unknown, unknown];
  if (!isObject(tables) || !isObject(values)) return value;
  return [
    mapOwn(tables, (table) =>
      table === null
        ? undefined
        : isObject(table)
          ? mapOwn(table, (row) =>
              row === null
                ? undefined
                : isObject(row)
                  ? mapOwn(row, (cell) => (isMarker(cell) ? undefined : cell))
                  : row,
            )
          : table,
    ),
    mapOwn(values, (item) => (isMarker(item) ? undefined : item)),
    marker,
  ];
};

/**
 * Whether changes can go as a PATCH: the reference server refuses the id
 * `__proto__` in patches (it never lets a patch near a prototype), so such a
 * save goes as a full POST instead, which treats it as an ordinary id.
 *
 * @example
 * canPatch([{t: {r: {c: 1}}}, {}, 1]); // true
 */
export const canPatch = (changes: Changes): boolean => {
  const [tables, values] = changes;
  if (Object.hasOwn(values, '__proto__') || Object.hasOwn(tables, '__proto__')) return false;
  for (const table of Object.values(tables)) {
    if (table === undefined) continue;
    if (Object.hasOwn(table, '__proto__')) return false;
    for (const row of Object.values(table)) {
      if (row !== undefined && Object.hasOwn(row, '__proto__')) return false;
    }
  }
  return true;
};
