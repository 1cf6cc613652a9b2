// Telling a concurrent overwrite of a nested map apart from a deliberate one.
//
// Two clients that both create the map for the same new table (or row, or the
// `t`/`v` maps themselves) without having seen each other's write make a Yjs
// conflict: one map wins, the other map and everything in it disappears. A
// client that overwrote the map after seeing it (a delete and re-create) meant
// to. Yjs records, for every map entry, the entry it was written after
// (`origin`): the new entry descends from the old one exactly when its writer
// had seen the old one.
import * as Y from 'yjs';

/** Bounds the walk back through a key's history. */
const MAX_STEPS = 10_000;

const contains = (item: Y.Item, id: Y.ID): boolean =>
  id.client === item.id.client &&
  id.clock >= item.id.clock &&
  id.clock < item.id.clock + item.length;

/**
 * True when the entry now under `key` of `map` replaced the map `oldValue`
 * without its writer having seen `oldValue`: the old map's content was lost to a
 * concurrent creation and should be merged back.
 */
export const isConcurrentReplacement = (
  map: Y.Map<unknown>,
  key: string,
  oldValue: unknown,
): boolean => {
  const oldItem = oldValue instanceof Y.Map ? oldValue._item : null;
  const newItem = map._map.get(key);
  const doc = map.doc;
  if (oldItem === null || newItem === undefined || newItem.deleted || doc === null) {
    return false;
  }
  let origin = newItem.origin;
  for (let steps = 0; origin !== null && steps < MAX_STEPS; steps++) {
    if (contains(oldItem, origin)) {
      return false;
    }
    const item: unknown = Y.getItem(doc.store, origin);
    if (!(item instanceof Y.Item)) {
      return true;
    }
    origin = item.origin;
  }
  // A history longer than the bound is treated as deliberate: resurrecting
  // deleted data would be worse than missing a merge.
  return origin === null;
};

/** The keys a (now deleted) map held when it was replaced, read from Yjs' own bookkeeping. */
export const formerKeys = (oldValue: unknown): string[] =>
  oldValue instanceof Y.Map ? Array.from(oldValue._map.keys()) : [];
