// Writes that treat every id as data: `obj[id] = x` with id `__proto__` would
// replace the object's prototype instead of adding a key.

/** Sets `object[key]` as an own, enumerable property, whatever `key` is. */
export const setOwn = <T>(object: {[key: string]: T}, key: string, value: T): void => {
  if (key === '__proto__') {
    Object.defineProperty(object, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    // Plain assignment is many times faster, and safe for every other key.
    object[key] = value;
  }
};

/** `object[key]` when it is an own property of an object, else undefined (never the prototype's). */
export const ownOf = (object: unknown, key: string): unknown =>
  typeof object === 'object' && object !== null && Object.hasOwn(object, key)
    ? (object as Record<string, unknown>)[key]
    : undefined;
