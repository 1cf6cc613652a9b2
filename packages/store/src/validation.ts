// Whether an input may be written: a valid cell or value, or one that fits the schema
// (or has a default to fall back on). Pure: the schemas in force are passed in, and
// reporting what is refused is the writers' part.
import {isObject, keysOf, type Stored, toStored} from './objects';
import {type CellSchemas, fitRule, type TablesSchemaMap} from './schema';
import type {Id, Row, Table, Tables, Values} from './types';

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
const someKey = (obj: Record<string, unknown>, usable: (key: string) => boolean): boolean => {
  const keys = keysOf(obj);
  return !keys.length || keys.some(usable);
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

export const tableUsable = (
  tablesSchema: TablesSchemaMap | undefined,
  t: Id,
  table: unknown,
): table is Table => isObject(table) && someKey(table, (r) => rowUsable(tablesSchema, t, table[r]));

export const tablesUsable = (
  tablesSchema: TablesSchemaMap | undefined,
  input: unknown,
): input is Tables =>
  isObject(input) && someKey(input, (t) => tableUsable(tablesSchema, t, input[t]));

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
