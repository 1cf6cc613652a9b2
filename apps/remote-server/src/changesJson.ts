// The wire format of a PATCH body: a store's net Changes as JSON. JSON has no
// `undefined`, and a cell can be any JSON value (null, objects and arrays
// included), so: a deleted table or row is `null` (they are objects
// otherwise), and every cell or value is wrapped, `[cell]` when set and `[]`
// when deleted.
import {validateChanges} from '@x/persister';
import type {Changes} from '@x/store';

/** The media type of a PATCH body, advertised in `Accept-Patch`. */
export const CHANGES_MEDIA_TYPE = 'application/x-store-changes+json';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether a JSON value holds the key `__proto__` at any depth. */
const hasProtoKey = (value: unknown): boolean => {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(hasProtoKey);
  return Object.hasOwn(value, '__proto__') || Object.values(value).some(hasProtoKey);
};

/** `[cell]` is a set cell, `[]` a deleted one; anything else is not changes. */
const unwrap = (value: unknown, path: string): unknown => {
  if (!Array.isArray(value) || value.length > 1) {
    throw new TypeError(`${path}: must be [cell] (set) or [] (deleted)`);
  }
  if (hasProtoKey(value)) {
    throw new TypeError(`${path}: the key "__proto__" is not allowed in a patch`);
  }
  return value.length === 0 ? undefined : value[0];
};

/** Refuses `__proto__` anywhere as an id: a patch must never reach a prototype. */
const checkId = (id: string, path: string): void => {
  if (id === '__proto__')
    throw new TypeError(`${path}: the id "__proto__" is not allowed in a patch`);
};

/** Turns the markers back into `undefined`; anything else is left for validateChanges. */
const unmark = (value: unknown): unknown => {
  if (!Array.isArray(value) || value.length !== 3 || value[2] !== 1) return value;
  const [tables, values] = value as [unknown, unknown];
  if (!isObject(tables) || !isObject(values)) return value;
  const outTables: Record<string, unknown> = Object.create(null);
  for (const [tableId, table] of Object.entries(tables)) {
    checkId(tableId, 'tables');
    if (table === null) {
      outTables[tableId] = undefined;
      continue;
    }
    if (!isObject(table)) {
      outTables[tableId] = table;
      continue;
    }
    const outTable: Record<string, unknown> = Object.create(null);
    for (const [rowId, row] of Object.entries(table)) {
      checkId(rowId, `tables.${tableId}`);
      if (row === null) {
        outTable[rowId] = undefined;
        continue;
      }
      if (!isObject(row)) {
        outTable[rowId] = row;
        continue;
      }
      const outRow: Record<string, unknown> = Object.create(null);
      for (const [cellId, cell] of Object.entries(row)) {
        checkId(cellId, `tables.${tableId}.${rowId}`);
        outRow[cellId] = unwrap(cell, `tables.${tableId}.${rowId}.${cellId}`);
      }
      outTable[rowId] = outRow;
    }
    outTables[tableId] = outTable;
  }
  const outValues: Record<string, unknown> = Object.create(null);
  for (const [valueId, cell] of Object.entries(values)) {
    checkId(valueId, 'values');
    outValues[valueId] = unwrap(cell, `values.${valueId}`);
  }
  return [outTables, outValues, 1];
};

/**
 * Reads a PATCH body (already JSON-parsed) into `Changes`: `[tables, values, 1]`
 * with `null` for a deleted table or row, `[cell]` for a set cell or value and
 * `[]` for a deleted one. Throws a TypeError naming the first bad path (also
 * for `__proto__` as an id or as a key inside a JSON cell).
 *
 * @example
 * changesFromJson(JSON.parse('[{"pets":{"fido":{"color":[]}}},{"open":[true]},1]'));
 * // [{pets: {fido: {color: undefined}}}, {open: true}, 1]
 */
export const changesFromJson = (value: unknown): Changes => {
  if (!Array.isArray(value) || value.length !== 3 || value[2] !== 1) {
    throw new TypeError('changes: must be an array [tables, values, 1]');
  }
  return validateChanges(unmark(value));
};

/**
 * Writes `Changes` in the PATCH wire format (the inverse of {@link changesFromJson}).
 *
 * @example
 * changesToJson([{pets: {fido: undefined, rex: {age: 3}}}, {open: undefined}, 1]);
 * // '[{"pets":{"fido":null,"rex":{"age":[3]}}},{"open":[]},1]'
 */
export const changesToJson = (changes: Changes): string =>
  JSON.stringify([
    mapEntries(changes[0], (table) =>
      table === undefined
        ? null
        : mapEntries(table, (row) =>
            row === undefined
              ? null
              : mapEntries(row, (cell) => (cell === undefined ? [] : [cell])),
          ),
    ),
    mapEntries(changes[1], (cell) => (cell === undefined ? [] : [cell])),
    1,
  ]);

const mapEntries = <In, Out>(
  object: {[id: string]: In},
  map: (value: In) => Out,
): {[id: string]: Out} => {
  const out: {[id: string]: Out} = {};
  for (const id of Object.keys(object)) {
    Object.defineProperty(out, id, {
      value: map(object[id] as In),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
};
