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
