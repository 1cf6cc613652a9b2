// Whether a cell or value input may be written (a valid one, or one that fits the
// schema), in its stored form, and what a refused or deleted one falls back to. Pure: the
// schemas in force are passed in; reporting what is refused is the writers' part.
import {type Stored, toStored} from './objects';
import {type CellSchemas, fitRule, type TablesSchemaMap} from './schema';
import type {Id} from './types';

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
