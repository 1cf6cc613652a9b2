// Small helpers for plain objects and ids, shared by the store's parts.
import type {Cell, Id, IdLike, IdOrNull} from './types';

/** Coerces an id argument to a string id. */
export const toId = (id: IdLike): Id => (typeof id === 'string' ? id : String(id));

/** Coerces a listener's id argument; `null` or `undefined` is the wildcard. */
export const idOrNull = (id: IdOrNull | undefined): Id | null => (id == null ? null : toId(id));

/** A plain object (prototype Object.prototype or null): the only accepted container. */
export const isObject = (x: unknown): x is Record<string, unknown> => {
  if (x === null || typeof x !== 'object') return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
};

/** A valid cell or value: a string, a finite number, a boolean or null. */
export const isCell = (x: unknown): x is Cell =>
  x === null ||
  typeof x === 'string' ||
  typeof x === 'boolean' ||
  (typeof x === 'number' && Number.isFinite(x));

/**
 * Sets an own property. `__proto__` goes through defineProperty so that it is
 * an ordinary key and never changes the object's prototype.
 */
export const put = <T>(obj: Record<string, T>, key: string, value: T): void => {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, {value, writable: true, enumerable: true, configurable: true});
  } else {
    obj[key] = value;
  }
};

/** Own enumerable string keys (never inherited ones). */
export const keysOf = Object.keys;

export const hasOwn = (obj: object, key: string): boolean => Object.hasOwn(obj, key);
