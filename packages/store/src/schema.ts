// Normalised schemas: Maps (so any id is safe) of checked rules, one per cell or value.
import {isObject, keysOf, put, type Stored, toStored} from './objects';
import type {CellSchema} from './types';

/**
 * One checked cell or value schema: `json` is the schema as kept (known keys only, in
 * the caller's order), the rest is what checking a write needs.
 */
export type Rule = {
  json: CellSchema;
  types?: string[];
  enum?: unknown[];
  allowNull?: boolean;
  default?: Stored;
};
export type CellSchemas = Map<string, Rule>;

/** The rules of each table. */
export type TablesSchemaMap = Map<string, CellSchemas>;

const TYPES = ['string', 'number', 'boolean', 'object', 'array'];
const KEYS = ['type', 'enum', 'allowNull', 'required', 'default'];

/** The stored form of `raw` when it fits the rule; undefined when it does not. */
export const fitRule = (rule: Rule | undefined, raw: unknown): Stored | undefined => {
  if (!rule) return undefined;
  if (raw === null) return rule.allowNull ? null : undefined;
  const stored = toStored(raw);
  return stored !== undefined &&
    (rule.enum
      ? rule.enum.includes(raw)
      : rule.types!.includes(Array.isArray(raw) ? 'array' : typeof raw))
    ? stored
    : undefined;
};

const isEnumMember = (x: unknown): boolean =>
  typeof x === 'string' || typeof x === 'boolean' || (typeof x === 'number' && Number.isFinite(x));

/** Checks and copies one cell or value schema; throws a TypeError on a malformed one. */
const toRule = (schema: unknown, what: string): Rule => {
  const given = (isObject(schema) ? schema : {}) as Record<string, unknown>;
  const {type, enum: members, allowNull, required} = given;
  const types = type === undefined ? undefined : ([] as unknown[]).concat(type);
  const list = types ?? members;
  const json = {} as Record<string, unknown>;
  // Known keys only, in the caller's order, copied (a default object is the caller's).
  for (const key of keysOf(given))
    if (KEYS.includes(key) && given[key] !== undefined)
      json[key] = JSON.parse(JSON.stringify(given[key]));
  const rule: Rule = {
    json: json as CellSchema,
    types: types as string[] | undefined,
    enum: members as unknown[] | undefined,
    allowNull: allowNull === true,
  };
  if (given.default !== undefined && Array.isArray(list))
    rule.default = fitRule(rule, given.default);
  if (
    !isObject(schema) ||
    (types === undefined) === (members === undefined) ||
    !Array.isArray(list) ||
    !list.length ||
    !list.every(types ? (t) => TYPES.includes(t) : isEnumMember) ||
    [allowNull, required].some((flag) => flag !== undefined && typeof flag !== 'boolean') ||
    (given.default !== undefined && rule.default === undefined)
  ) {
    // The rules are CellSchema's documentation; the message names the place and the type.
    throw new TypeError(`${what} is not a valid CellSchema`);
  }
  return rule;
};

/** Checks and copies `{id: schema}`; throws a TypeError on a malformed one. */
export const toCellSchemas = (input: unknown, what: string): CellSchemas => {
  if (!isObject(input)) throw new TypeError(`${what} must be an object`);
  const schemas: CellSchemas = new Map();
  for (const id of keysOf(input)) schemas.set(id, toRule(input[id], `${what}.${id}`));
  return schemas;
};

/** The `[id, stored default]` pairs of the rules that have a default. */
export const defaultsOf = (schemas: CellSchemas): [string, Stored][] => {
  const defaults: [string, Stored][] = [];
  for (const [id, rule] of schemas)
    if (rule.default !== undefined) defaults.push([id, rule.default]);
  return defaults;
};

/**
 * Checks and copies `{tableId: {cellId: schema}}`, with each table's defaults; throws a
 * TypeError on a malformed one (the caller keeps its previous schema then).
 */
export const toTablesSchema = (
  input: unknown,
): [TablesSchemaMap, Map<string, [string, Stored][]>] => {
  if (!isObject(input)) throw new TypeError('tablesSchema must be an object');
  const schemas: TablesSchemaMap = new Map();
  const defaults: Map<string, [string, Stored][]> = new Map();
  for (const t of keysOf(input)) {
    const cells = toCellSchemas(input[t], `tablesSchema.${t}`);
    schemas.set(t, cells);
    const tableDefaults = defaultsOf(cells);
    if (tableDefaults.length) defaults.set(t, tableDefaults);
  }
  return [schemas, defaults];
};

/** A schema Map as the plain object it was given as (for the *SchemaJson getters). */
export const schemaToObject = (schemas: CellSchemas | undefined): Record<string, CellSchema> => {
  const obj: Record<string, CellSchema> = {};
  if (schemas) for (const [id, rule] of schemas) put(obj, id, rule.json);
  return obj;
};
