// Whether an input may be written: a valid cell or value, or one that fits the schema
// (or has a default to fall back on). Pure: the schemas in force are passed in, and
// reporting what is refused is the writers' part.
import {isCell, isObject, keysOf} from './objects';
import {type CellSchemas, fitsSchema, type TablesSchemaMap} from './schema';
import type {Cell, Id, Row, Table, Tables, Value, Values} from './types';

export const cellOk = (
  tablesSchema: TablesSchemaMap | undefined,
  t: Id,
  c: Id,
  input: unknown,
): input is Cell => (tablesSchema ? fitsSchema(tablesSchema.get(t)?.get(c), input) : isCell(input));

/** What an invalid or deleted cell falls back to (undefined: none). */
export const cellDefault = (
  tablesSchema: TablesSchemaMap | undefined,
  t: Id,
  c: Id,
): Cell | undefined => tablesSchema?.get(t)?.get(c)?.default;

export const valueOk = (
  valuesSchema: CellSchemas | undefined,
  v: Id,
  input: unknown,
): input is Value => (valuesSchema ? fitsSchema(valuesSchema.get(v), input) : isCell(input));

export const valueDefault = (valuesSchema: CellSchemas | undefined, v: Id): Value | undefined =>
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
    (c) => cellOk(tablesSchema, t, c, row[c]) || cellDefault(tablesSchema, t, c) !== undefined,
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
    (v) => valueOk(valuesSchema, v, input[v]) || valueDefault(valuesSchema, v) !== undefined,
  );
