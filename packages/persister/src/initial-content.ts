// The two forms of `initial`: `(tables, values)` as in the seeds, or one
// Content tuple (or a function returning one).
import type {Values} from '@x/store';
import type {InitialTables} from './types';

/** A thunk for the initial content, or undefined when none was given. Validated when used. */
export type InitialContent = () => unknown;

export const toInitialContent = (
  initialTables?: InitialTables,
  initialValues?: Values,
): InitialContent | undefined => {
  if (initialTables === undefined) {
    return initialValues === undefined ? undefined : () => [{}, initialValues];
  }
  if (typeof initialTables === 'function') return initialTables;
  if (Array.isArray(initialTables)) return () => initialTables;
  return () => [initialTables, initialValues ?? {}];
};
