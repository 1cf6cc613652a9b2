// Ids such as `__proto__` are ordinary ids (SPEC.md §2): an assignment would
// change the object's prototype instead of adding a key, so define the key.

/** Adds `key` as an own, enumerable property of `target`, whatever the key is. */
export const setOwn = <T>(target: {[key: string]: T}, key: string, value: T): void => {
  Object.defineProperty(target, key, {value, enumerable: true, writable: true, configurable: true});
};
