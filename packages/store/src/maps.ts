// Small Map helpers shared by the store's parts.

export const newMap = <K, V>(): Map<K, V> => new Map();

/** The value at `key`, created with `make` when missing. */
export const ensure = <K, V>(map: Map<K, V>, key: K, make: () => V): V => {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
};

/** Appends `value` to the list at `key`, creating the list when missing. */
export const pushTo = <K, V>(map: Map<K, V[]>, key: K, value: V): void => {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
};
