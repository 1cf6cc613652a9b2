// Small helpers for plain objects and ids, and the stored form of cells and values.
import type {Cell, Id, IdLike, IdOrNull} from './types';

/**
 * How a cell or value is kept: a scalar, or a string. Objects and arrays are kept as
 * TAG + their JSON text, so that every comparison stays `===` (compare by value) and
 * every read parses a fresh copy; a user string that starts with TAG is kept the same
 * way (TAG + its JSON), so no string is ever mistaken for an object.
 */
export type Stored = string | number | boolean | null;
const TAG = '\uFFFD';

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

/** A string, a finite number, a boolean or null. */
const isScalar = (x: unknown): x is Stored =>
  x === null ||
  typeof x === 'string' ||
  typeof x === 'boolean' ||
  (typeof x === 'number' && Number.isFinite(x));

/**
 * Plain JSON: scalars, arrays without holes or extra keys, plain objects without symbol
 * or hidden keys, acyclic (`above`: the containers above `x`).
 */
const isJson = (x: unknown, above: unknown[]): boolean =>
  isScalar(x) ||
  (!above.includes(x) &&
    (Array.isArray(x)
      ? Object.getPrototypeOf(x) === Array.prototype && Reflect.ownKeys(x).length === x.length + 1
      : isObject(x) && Reflect.ownKeys(x).length === keysOf(x).length) &&
    Object.values(x as object).every((y) => isJson(y, [...above, x])));

/** The stored form of a valid cell or value; undefined for anything else. */
export const toStored = (x: unknown): Stored | undefined =>
  typeof x === 'string'
    ? x.charCodeAt(0) === 65533
      ? TAG + JSON.stringify(x)
      : x
    : isScalar(x)
      ? x
      : isJson(x, [])
        ? TAG + JSON.stringify(x)
        : undefined;

/** A stored cell or value as the user sees it (objects and arrays: a fresh copy). */
export const fromStored: {(x: Stored): Cell; (x: Stored | undefined): Cell | undefined} = (
  x: Stored | undefined,
) => (typeof x === 'string' && x.charCodeAt(0) === 65533 ? JSON.parse(x.slice(1)) : x);

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
