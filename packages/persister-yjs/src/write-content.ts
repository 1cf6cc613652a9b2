// A full save: makes the doc match the store with the fewest operations, by
// diffing what is there instead of clearing and rewriting it.
import {type PersistedContent, versionOf} from '@x/persister';
import type {Cell} from '@x/store';
import * as Y from 'yjs';
import {isEmptyMap, TABLES_KEY, VALUES_KEY, VERSION_KEY} from './layout';

type Entries = {[id: string]: unknown};

/** Deletes the keys of `map` that `wanted` does not have. */
const delMissing = (map: Y.Map<unknown>, wanted: Entries): void => {
  for (const key of Array.from(map.keys())) {
    if (!Object.hasOwn(wanted, key)) {
      map.delete(key);
    }
  }
};

/** Sets the cells that differ; deletes those that are gone. */
const writeCells = (map: Y.Map<unknown>, cells: {[id: string]: Cell}): void => {
  delMissing(map, cells);
  for (const id of Object.keys(cells)) {
    const cell = cells[id];
    if (map.get(id) !== cell || !map.has(id)) {
      map.set(id, cell);
    }
  }
};

/** The map under `key`, created when absent or when something else is there. */
const getOrCreateMap = (parent: Y.Map<unknown>, key: string): Y.Map<unknown> => {
  const child = parent.get(key);
  if (child instanceof Y.Map) {
    return child;
  }
  const created = new Y.Map<unknown>();
  parent.set(key, created);
  return created;
};

/**
 * Makes the root map hold exactly `content`; call inside `yDoc.transact`.
 * Whatever is off the layout (other keys, a non-map where a map belongs) is
 * replaced: the core only asks for a full save over unreadable data for
 * `save({overwrite: true})`. `t` and `v` are always present
 * afterwards, so a saved empty store reads back as `[{}, {}]`. The root's
 * `version` is set to the content's (versioned content) or deleted (version 0).
 */
export const writeContent = (root: Y.Map<unknown>, content: PersistedContent): void => {
  const [tables, values] = content;
  const version = versionOf(content);
  delMissing(root, {[TABLES_KEY]: 1, [VALUES_KEY]: 1, [VERSION_KEY]: 1});
  if (version > 0) {
    if (root.get(VERSION_KEY) !== version) root.set(VERSION_KEY, version);
  } else if (root.has(VERSION_KEY)) {
    root.delete(VERSION_KEY);
  }
  const tablesMap = getOrCreateMap(root, TABLES_KEY);
  delMissing(tablesMap, tables);
  for (const tableId of Object.keys(tables)) {
    const table = tables[tableId];
    const tableMap = getOrCreateMap(tablesMap, tableId);
    delMissing(tableMap, table);
    for (const rowId of Object.keys(table)) {
      writeCells(getOrCreateMap(tableMap, rowId), table[rowId]);
    }
    if (isEmptyMap(tableMap)) {
      tablesMap.delete(tableId);
    }
  }
  writeCells(getOrCreateMap(root, VALUES_KEY), values);
};
