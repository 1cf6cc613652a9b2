// Normalised schemas: Maps (so any id is safe) of checked cell schemas.
import {isObject, keysOf} from './objects';
import type {Cell, CellSchema} from './types';

export type CellSchemas = Map<string, CellSchema>;

/** The cell schemas of each table. */
export type TablesSchemaMap = Map<string, CellSchemas>;

const TYPES = ['string', 'number', 'boolean'];

/** Whether `raw` fits the cell schema exactly (no default involved). */
export const fitsSchema = (schema: CellSchema | undefined, raw: unknown): raw is Cell =>
  schema !== undefined &&
  typeof raw === schema.type &&
  (schema.type !== 'number' || Number.isFinite(raw));

/** Checks and copies `{cellId: {type, default?}}`; throws a TypeError on a malformed one. */
export const toCellSchemas = (input: unknown, what: string): CellSchemas => {
  if (!isObject(input)) throw new TypeError(`${what} must be an object`);
  const schemas: CellSchemas = new Map();
  for (const id of keysOf(input)) {
    const schema = input[id];
    if (!isObject(schema) || !TYPES.includes(schema.type as string)) {
      throw new TypeError(`${what}.${id} needs a type of string, number or boolean`);
    }
    const type = schema.type as CellSchema['type'];
    const copy = {type} as CellSchema;
    if (schema.default !== undefined) {
      if (!fitsSchema(copy, schema.default)) {
        throw new TypeError(`${what}.${id} has a default that is not a ${type}`);
      }
      (copy as {default?: Cell}).default = schema.default;
    }
    schemas.set(id, copy);
  }
  return schemas;
};

/** The `[id, default]` pairs of the schemas that have a default. */
export const defaultsOf = (schemas: CellSchemas): [string, Cell][] => {
  const defaults: [string, Cell][] = [];
  for (const [id, schema] of schemas) {
    if (schema.default !== undefined) defaults.push([id, schema.default]);
  }
  return defaults;
};

/**
 * Checks and copies `{tableId: {cellId: {type, default?}}}`, with each table's defaults;
 * throws a TypeError on a malformed one (the caller keeps its previous schema then).
 */
export const toTablesSchema = (
  input: unknown,
): [TablesSchemaMap, Map<string, [string, Cell][]>] => {
  if (!isObject(input)) throw new TypeError('tablesSchema must be an object');
  const schemas: TablesSchemaMap = new Map();
  const defaults: Map<string, [string, Cell][]> = new Map();
  for (const t of keysOf(input)) {
    const cells = toCellSchemas(input[t], `tablesSchema.${t}`);
    schemas.set(t, cells);
    const tableDefaults = defaultsOf(cells);
    if (tableDefaults.length) defaults.set(t, tableDefaults);
  }
  return [schemas, defaults];
};
