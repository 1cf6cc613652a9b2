// The shape of the data in the Y.Doc, and reading it back strictly: a doc that
// does not have this shape is reported, never guessed at.

import {isValidCell, type PersistedContent} from '@x/persister';
import type {Cell, Tables, Values} from '@x/store';
import * as Y from 'yjs';

/** Key of the tables map (Y.Map tableId -> Y.Map rowId -> Y.Map cellId -> cell). */
export const TABLES_KEY = 't';
/** Key of the values map (Y.Map valueId -> value). */
export const VALUES_KEY = 'v';
/** Key of the version of the data's shape (a number ≥ 1; absent for version 0). */
export const VERSION_KEY = 'version';

/**
 * What the persister reports (through `onIgnoredError`) when the doc's map is
 * not in the layout; the message names the place.
 * @example
 * ```ts
 * const doc = new Y.Doc();
 * doc.getMap('store').set('t', 'not a map');
 * await createYjsPersister(createStore(), doc, 'store', (error) => {
 *   console.log(error instanceof YjsLayoutError, String(error));
 * }).load();
 * // -> true 'YjsLayoutError: expected a Y.Map at "store" / "t", found string "not a map"'
 * ```
 */
export class YjsLayoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'YjsLayoutError';
  }
}

/** A cell or value as the store accepts it: a string, a finite number, a boolean, null, or plain JSON. */
export const isCell = (value: unknown): value is Cell => isValidCell(value);

/** Sets an own, enumerable property, so that ids like `__proto__` are ordinary keys. */
export const setOwn = (object: object, key: string, value: unknown): void => {
  Object.defineProperty(object, key, {value, enumerable: true, writable: true, configurable: true});
};

const describe = (value: unknown): string =>
  value instanceof Y.AbstractType
    ? `a ${value.constructor.name}`
    : value === undefined
      ? 'undefined'
      : `${typeof value} ${String(JSON.stringify(value) ?? value).slice(0, 40)}`;

const where = (path: string[]): string => path.map((id) => JSON.stringify(id)).join(' / ');

/** True when `map` has no entries; unlike `Y.Map#size`, this does not count them all. */
export const isEmptyMap = (map: Y.Map<unknown>): boolean => map.keys().next().done === true;

/** Returns the root map, with a clear error when the name is taken by another Yjs type. */
export const getRootMap = (yDoc: Y.Doc, yMapName: string): Y.Map<unknown> => {
  try {
    return yDoc.getMap(yMapName);
  } catch (error) {
    throw new YjsLayoutError(
      `Y.Doc root type '${yMapName}' is not a Y.Map (${(error as Error).message})`,
    );
  }
};

/** The map under `key` of `parent`, `undefined` if absent; throws if it is something else. */
export const getChildMap = (
  parent: Y.Map<unknown>,
  key: string,
  path: string[],
): Y.Map<unknown> | undefined => {
  const child = parent.get(key);
  if (child === undefined || child instanceof Y.Map) {
    return child as Y.Map<unknown> | undefined;
  }
  throw new YjsLayoutError(
    `expected a Y.Map at ${where([...path, key])}, found ${describe(child)}`,
  );
};

/** The cell under `key` of `parent` (`undefined` if absent); throws if it is not a valid cell. */
export const getCell = (parent: Y.Map<unknown>, key: string, path: string[]): Cell | undefined => {
  if (!parent.has(key)) {
    return undefined;
  }
  const cell = parent.get(key);
  if (isCell(cell)) {
    return cell;
  }
  throw new YjsLayoutError(`expected a cell at ${where([...path, key])}, found ${describe(cell)}`);
};

/** True for what the `version` key may hold: a non-negative safe integer. */
const isVersion = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/**
 * The version of the data's shape the doc holds: 0 when the root has no `version`
 * key, `undefined` when that key holds anything but a non-negative integer.
 */
export const storedVersionOf = (root: Y.Map<unknown>): number | undefined => {
  if (!root.has(VERSION_KEY)) return 0;
  const version = root.get(VERSION_KEY);
  return isVersion(version) ? version : undefined;
};

/** The doc's version (0 when absent); throws a YjsLayoutError when it is not a non-negative integer. */
export const readVersion = (root: Y.Map<unknown>, yMapName: string): number => {
  const version = storedVersionOf(root);
  if (version !== undefined) return version;
  throw new YjsLayoutError(
    `expected a non-negative integer at ${where([yMapName, VERSION_KEY])}, found ${describe(root.get(VERSION_KEY))}`,
  );
};

/** Checks the root holds nothing but `t` and `v` maps (and a `version`), and returns the maps. */
export const getRootMaps = (
  root: Y.Map<unknown>,
  yMapName: string,
): [tables: Y.Map<unknown> | undefined, values: Y.Map<unknown> | undefined] => {
  for (const key of root.keys()) {
    if (key !== TABLES_KEY && key !== VALUES_KEY && key !== VERSION_KEY) {
      throw new YjsLayoutError(
        `Y.Map '${yMapName}' holds an unexpected key ${JSON.stringify(key)}: only '${TABLES_KEY}', '${VALUES_KEY}' and '${VERSION_KEY}' belong there`,
      );
    }
  }
  return [getChildMap(root, TABLES_KEY, [yMapName]), getChildMap(root, VALUES_KEY, [yMapName])];
};

/** Reads a row map into a plain row, strictly. */
export const readRow = (rowMap: Y.Map<unknown>, path: string[]): {[cellId: string]: Cell} => {
  const row = {};
  for (const cellId of rowMap.keys()) {
    setOwn(row, cellId, getCell(rowMap, cellId, path));
  }
  return row;
};

/** Reads a table map into a plain table, strictly; an empty row map is no row. */
export const readTable = (
  tableMap: Y.Map<unknown>,
  path: string[],
): {[rowId: string]: {[cellId: string]: Cell}} => {
  const table = {};
  for (const rowId of tableMap.keys()) {
    const row = readRow(getChildMap(tableMap, rowId, path)!, [...path, rowId]);
    if (Object.keys(row).length > 0) {
      setOwn(table, rowId, row);
    }
  }
  return table;
};

/**
 * Reads the whole map as content, `[tables, values, {version}]` when the doc holds
 * a version above 0; `undefined` when the map is empty (nothing persisted).
 * Throws a YjsLayoutError for anything off the layout.
 */
export const readContent = (
  root: Y.Map<unknown>,
  yMapName: string,
): PersistedContent | undefined => {
  if (isEmptyMap(root)) {
    return undefined;
  }
  const [tablesMap, valuesMap] = getRootMaps(root, yMapName);
  const version = readVersion(root, yMapName);
  const tables: Tables = {};
  tablesMap?.forEach((_, tableId) => {
    const path = [yMapName, TABLES_KEY];
    const table = readTable(getChildMap(tablesMap, tableId, path)!, [...path, tableId]);
    // An empty table map (never written by this persister) is no table.
    if (Object.keys(table).length > 0) {
      setOwn(tables, tableId, table);
    }
  });
  const values: Values = {};
  valuesMap?.forEach((_, valueId) => {
    setOwn(values, valueId, getCell(valuesMap, valueId, [yMapName, VALUES_KEY]));
  });
  return version > 0 ? [tables, values, {version}] : [tables, values];
};
