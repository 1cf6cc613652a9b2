// Strict checks for content and changes that arrive from storage: anything a
// backend parsed is untrusted until it passes here.
import type {Cell, Changes, Content} from '@x/store';
import {setOwn} from './own-property';
import type {ContentMeta, LegacyContent, PersistedContent} from './types';

const SIMPLE_ID = /^[A-Za-z_$][\w$]*$/;

/** `tables.pets.fido`, or `tables["a.b"]` for ids that are not simple. */
const pathTo = (path: string, id: string): string =>
  SIMPLE_ID.test(id) ? `${path}.${id}` : `${path}[${JSON.stringify(id)}]`;

const describe = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'string') {
    return `the string ${JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}...` : value)}`;
  }
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    const name = proto?.constructor?.name;
    return name && name !== 'Object' ? `a ${name}` : 'an object';
  }
  return typeof value;
};

/**
 * A plain object: `{}` or `Object.create(null)`, also from another realm
 * (an iframe, a vm context), but never an array, a Date or a class instance.
 */
const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
};

const isScalar = (value: unknown): boolean =>
  value === null ||
  typeof value === 'string' ||
  typeof value === 'boolean' ||
  (typeof value === 'number' && Number.isFinite(value));

/** A JSON object or array of JSON values, acyclic (`seen` holds the objects above). */
const isJson = (value: unknown, seen: Set<object>): boolean => {
  if (isScalar(value)) return true;
  if (!(Array.isArray(value) || isPlainObject(value)) || seen.has(value)) return false;
  seen.add(value);
  const items = Array.isArray(value) ? value : Object.values(value);
  const valid = items.every((item) => isJson(item, seen));
  seen.delete(value);
  return valid;
};

/**
 * A cell or value: a string, a finite number, a boolean, null, or a plain JSON
 * object or array (of such values, acyclic).
 *
 * @example
 * ```ts
 * isValidCell(1); // -> true
 * isValidCell({tags: ['a', 'b']}); // -> true
 * isValidCell(Number.NaN); // -> false
 * ```
 */
export const isValidCell = (value: unknown): value is Cell =>
  isScalar(value) || (typeof value === 'object' && isJson(value, new Set()));

const CELL_RULE = 'must be a string, a finite number, a boolean, null, or a JSON object or array';

/** `tables.pets.fido.color` for the ids of a bad item; built only when throwing. */
const pathOf = (root: string, ids: string[]): string => ids.reduce(pathTo, root);

const notAnObject = (value: unknown, root: string, ids: string[], what: string): TypeError =>
  new TypeError(`${pathOf(root, ids)}: ${what} must be a plain object, got ${describe(value)}`);

const notACell = (value: unknown, root: string, ids: string[], what: 'cell' | 'value') =>
  new TypeError(`${pathOf(root, ids)}: ${what} ${CELL_RULE}, got ${describe(value)}`);

const objectAt = (
  value: unknown,
  root: string,
  ids: string[],
  what: string,
): Record<string, unknown> => {
  if (!isPlainObject(value)) throw notAnObject(value, root, ids, what);
  return value;
};

const cellAt = (value: unknown, root: string, ids: string[], what: 'cell' | 'value'): Cell => {
  if (!isValidCell(value)) throw notACell(value, root, ids, what);
  return value;
};

/**
 * Checks that `value` is exactly `[tables, values]` and returns a fresh copy of
 * it (empty rows and tables dropped, as the store holds none). Throws a
 * TypeError naming the first bad path otherwise. Ids such as `__proto__` are
 * ordinary ids: the copy holds them as own properties.
 *
 * Rules: an array of exactly two plain objects; tables -> rows -> cells are
 * plain objects; cells and values are strings, finite numbers, booleans or
 * null. Empty rows and tables are accepted and dropped.
 *
 * @example
 * ```ts
 * validateContent(JSON.parse('[{"pets":{"fido":{"species":"dog"}}},{}]'));
 * // -> [{pets: {fido: {species: 'dog'}}}, {}]
 * validateContent([{pets: {fido: {color: {}}}}, {}]);
 * // throws TypeError: tables.pets.fido.color: cell must be a string, ...
 * ```
 */
export const validateContent = (value: unknown): Content => {
  if (!Array.isArray(value) || value.length !== 2) {
    throw new TypeError(
      `content: must be an array [tables, values] of two objects, got ${
        Array.isArray(value) ? `an array of ${value.length}` : describe(value)
      }`,
    );
  }
  const tablesIn = objectAt(value[0], 'tables', [], 'tables');
  const valuesIn = objectAt(value[1], 'values', [], 'values');
  // Paths for error messages are built only when something is wrong: this loop
  // runs once per cell of everything a persister loads.
  const tables: Content[0] = {};
  for (const tableId of Object.keys(tablesIn)) {
    const tableIn = objectAt(tablesIn[tableId], 'tables', [tableId], 'table');
    const table: Content[0][string] = {};
    let hasRows = false;
    for (const rowId of Object.keys(tableIn)) {
      const rowIn = tableIn[rowId];
      if (!isPlainObject(rowIn)) throw notAnObject(rowIn, 'tables', [tableId, rowId], 'row');
      const row: Content[0][string][string] = {};
      let hasCells = false;
      for (const cellId of Object.keys(rowIn)) {
        const cell = rowIn[cellId];
        if (!isValidCell(cell)) throw notACell(cell, 'tables', [tableId, rowId, cellId], 'cell');
        setOwn(row, cellId, cell);
        hasCells = true;
      }
      if (hasCells) {
        setOwn(table, rowId, row);
        hasRows = true;
      }
    }
    if (hasRows) setOwn(tables, tableId, table);
  }
  const values: Content[1] = {};
  for (const valueId of Object.keys(valuesIn)) {
    setOwn(values, valueId, cellAt(valuesIn[valueId], 'values', [valueId], 'value'));
  }
  return [tables, values];
};

/** The third element of versioned content: `{version}`, a non-negative integer. */
const metaAt = (value: unknown): ContentMeta => {
  if (!isPlainObject(value))
    throw new TypeError(`content[2]: must be {version}, got ${describe(value)}`);
  const {version} = value;
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0)
    throw new TypeError(
      `content[2].version: must be a non-negative integer, got ${describe(version)}`,
    );
  return {version};
};

/**
 * Checks content as any version stored it: `[tables, values]` (returned as by
 * `validateContent`), `[tables, values, {version}]` as a persister with a
 * `version` stores it, or `[tables]` without values, as older versions and
 * apps wrote it (returned as `[tables]`: storage holds no values). A bare
 * tables object is refused, as TinyBase 10 refuses it: `{}` or `{"tables": {}}`
 * from a server that answers garbage would otherwise empty the store. Throws a
 * TypeError naming the bad path.
 *
 * @example
 * ```ts
 * validatePersisted([{pets: {fido: {species: 'dog'}}}]); // -> [{pets: {fido: {species: 'dog'}}}]
 * validatePersisted([{}, {}, {version: 2}]); // -> [{}, {}, {version: 2}]
 * validatePersisted([1]);
 * // throws TypeError: content: must be an array [tables, values] of two objects, got an array of 1
 * // (not [tables] either: tables: tables must be a plain object, got the number 1)
 * ```
 */
export const validatePersisted = (value: unknown): PersistedContent | LegacyContent => {
  if (Array.isArray(value) && value.length === 3) {
    const meta = metaAt(value[2]);
    const [tables, values] = validateContent([value[0], value[1]]);
    return [tables, values, meta];
  }
  if (!Array.isArray(value) || value.length !== 1) return validateContent(value);
  try {
    return [validateContent([value[0], {}])[0]];
  } catch (error) {
    throw new TypeError(
      `content: must be an array [tables, values] of two objects, got an array of 1 (not [tables] either: ${
        (error as Error).message
      })`,
    );
  }
};

/**
 * Checks a `Changes` object heard from storage: `[tables, values]` or
 * `[tables, values, 1]`, where `undefined` marks a deleted table, row, cell or
 * value. Returns a fresh copy; throws a TypeError naming the bad path.
 *
 * @example
 * ```ts
 * validateChanges([{pets: {fido: {color: undefined}}}, {}, 1]);
 * ```
 */
export const validateChanges = (value: unknown): Changes => {
  if (!Array.isArray(value) || value.length < 2 || value.length > 3) {
    throw new TypeError(
      `changes: must be an array [tables, values, 1], got ${
        Array.isArray(value) ? `an array of ${value.length}` : describe(value)
      }`,
    );
  }
  if (value.length === 3 && value[2] !== 1) {
    throw new TypeError(`changes[2]: must be 1, got ${describe(value[2])}`);
  }
  const tablesIn = objectAt(value[0], 'tables', [], 'changed tables');
  const valuesIn = objectAt(value[1], 'values', [], 'changed values');
  const tables: Changes[0] = {};
  for (const tableId of Object.keys(tablesIn)) {
    const tableIn = tablesIn[tableId];
    if (tableIn === undefined) {
      setOwn(tables, tableId, undefined);
      continue;
    }
    const table: NonNullable<Changes[0][string]> = {};
    for (const [rowId, rowIn] of Object.entries(objectAt(tableIn, 'tables', [tableId], 'table'))) {
      if (rowIn === undefined) {
        setOwn(table, rowId, undefined);
        continue;
      }
      const row: {[cellId: string]: Cell | undefined} = {};
      const rowChanges = objectAt(rowIn, 'tables', [tableId, rowId], 'row');
      for (const [cellId, cell] of Object.entries(rowChanges)) {
        setOwn(
          row,
          cellId,
          cell === undefined ? undefined : cellAt(cell, 'tables', [tableId, rowId, cellId], 'cell'),
        );
      }
      setOwn(table, rowId, row);
    }
    setOwn(tables, tableId, table);
  }
  const values: Changes[1] = {};
  for (const [valueId, cell] of Object.entries(valuesIn)) {
    setOwn(
      values,
      valueId,
      cell === undefined ? undefined : cellAt(cell, 'values', [valueId], 'value'),
    );
  }
  return [tables, values, 1];
};
