// Whether an input may be written: a valid cell or value, or one that fits the schema
// (or has a default to fall back on). Pure: the schemas in force are passed in, and
// reporting what is refused is the writers' part.
import {hasOwn, isObject, type Stored, toStored} from './objects';
import {type CellSchemas, fitRule, type TablesSchemaMap} from './schema';
import type {Id, Row, Values} from './types';

/** The stored form of a cell input that may be written; undefined when it is refused. */
export const cellIn = (
  tablesSchema: TablesSchemaMap | undefined,
  t: Id,
  c: Id,
  input: unknown,
): Stored | undefined =>
  tablesSchema ? fitRule(tablesSchema.get(t)?.get(c), input) : toStored(input);

/** What an invalid or deleted cell falls back to (undefined: none). */
export const cellDefault = (
  tablesSchema: TablesSchemaMap | undefined,
  t: Id,
  c: Id,
): Stored | undefined => tablesSchema?.get(t)?.get(c)?.default;

export const valueIn = (
  valuesSchema: CellSchemas | undefined,
  v: Id,
  input: unknown,
): Stored | undefined => (valuesSchema ? fitRule(valuesSchema.get(v), input) : toStored(input));

export const valueDefault = (valuesSchema: CellSchemas | undefined, v: Id): Stored | undefined =>
  valuesSchema?.get(v)?.default;

// An input is skipped when it is not an object, or when it has entries and none is usable:
// then what the store held there stays as it was (an invalid write never half-applies).
// (for-in, not Object.keys: a table may have 100,000 rows, and no array is made for them.)
const someKey = (obj: Record<string, unknown>, usable: (key: string) => boolean): boolean => {
  let empty = true;
  for (const key in obj) {
    if (hasOwn(obj, key)) {
      if (usable(key)) return true;
      empty = false;
    }
  }
  return empty;
};

export const rowUsable = (
  tablesSchema: TablesSchemaMap | undefined,
  t: Id,
  row: unknown,
): row is Row =>
  isObject(row) &&
  someKey(
    row,
    (c) =>
      cellIn(tablesSchema, t, c, row[c]) !== undefined ||
      cellDefault(tablesSchema, t, c) !== undefined,
  );

export const valuesUsable = (
  valuesSchema: CellSchemas | undefined,
  input: unknown,
): input is Values =>
  isObject(input) &&
  someKey(
    input,
    (v) =>
      valueIn(valuesSchema, v, input[v]) !== undefined ||
      valueDefault(valuesSchema, v) !== undefined,
  );
