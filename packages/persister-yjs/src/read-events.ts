// Remote doc changes -> store Changes, touching only what the Yjs events touched.
//
// Each Changes says the new state of what the doc transaction touched, read
// from the doc alone (never diffed against the store, which may lag behind):
// - a changed cell or value becomes that cell's new state;
// - a row, table, or the whole `t`/`v` map that was added becomes its cells;
// - one that was deleted becomes one deletion;
// - one that was replaced by another map becomes the new map's cells plus
//   deletions of what the old map had and the new one lacks, unless the new
//   map won a concurrent creation (see concurrent.ts): then nothing is deleted
//   and what only the old map had is handed back to be merged into the doc.
import type {Cell, Changes} from '@x/store';
import * as Y from 'yjs';
import {isConcurrentReplacement} from './concurrent';
import {formerContent, type Tree} from './former-content';
import {
  getCell,
  getChildMap,
  getRootMaps,
  readRow,
  readTable,
  setOwn,
  TABLES_KEY,
  VALUES_KEY,
  YjsLayoutError,
} from './layout';

/** What a remote transaction means for the store, and what must be merged back into the doc. */
export type RemoteChanges = {
  /** To give to the persister core's listener. */
  changes: Changes;
  /** Content lost to concurrent map creations, to write back into the doc (or undefined). */
  mergeBack: Changes | undefined;
};

type Entries = {[id: string]: unknown};

const childOf = (object: Entries, key: string): Entries => {
  if (!Object.hasOwn(object, key) || object[key] === undefined) {
    setOwn(object, key, {});
  }
  return object[key] as Entries;
};

/**
 * Sets `value` at `path` under `root`, creating objects on the way; a path that
 * ends early with `undefined` deletes that whole table or row.
 */
const put = (root: Entries, path: string[], value: unknown): void => {
  let node = root;
  for (const id of path.slice(0, -1)) {
    node = childOf(node, id);
  }
  setOwn(node, path[path.length - 1], value);
};

/** Calls `leaf` for every cell of `tree` (`depth` map levels above the cells). */
const forEachLeaf = (
  tree: Tree,
  depth: number,
  leaf: (path: string[], cell: Cell) => void,
  prefix: string[] = [],
): void => {
  for (const id of Object.keys(tree)) {
    const node = tree[id];
    if (depth === 0) {
      leaf([...prefix, id], node as Cell);
    } else {
      forEachLeaf(node as Tree, depth - 1, leaf, [...prefix, id]);
    }
  }
};

/**
 * Reads what one remote transaction changed. Throws a YjsLayoutError when the
 * touched part of the doc is not in the layout.
 */
export const readEvents = (
  events: Y.YEvent<Y.AbstractType<unknown>>[],
  root: Y.Map<unknown>,
  yMapName: string,
): RemoteChanges => {
  const [tablesMap, valuesMap] = getRootMaps(root, yMapName);
  const tables: Entries = {};
  const values: Entries = {};
  const lostTables: Entries = {};
  const lostValues: Entries = {};
  let merging = false;
  const tablesPath = [yMapName, TABLES_KEY];

  /** The new content under `key` of the map at `scope` (a path from the root map). */
  const readTree = (scope: string[], key: string): Tree | undefined => {
    if (scope.length === 0 && key === TABLES_KEY) {
      if (tablesMap === undefined) return undefined;
      const tree: Tree = {};
      for (const tableId of tablesMap.keys()) {
        setOwn(
          tree,
          tableId,
          readTable(getChildMap(tablesMap, tableId, tablesPath)!, [...tablesPath, tableId]),
        );
      }
      return tree;
    }
    if (scope.length === 0) {
      if (valuesMap === undefined) return undefined;
      const tree: Tree = {};
      for (const valueId of valuesMap.keys()) {
        setOwn(tree, valueId, getCell(valuesMap, valueId, [yMapName, VALUES_KEY]));
      }
      return tree;
    }
    // scope is ['t'] (key is a table id) or ['t', tableId] (key is a row id).
    const tableId = scope.length === 1 ? key : scope[1];
    const tableMap = tablesMap && getChildMap(tablesMap, tableId, tablesPath);
    if (scope.length === 1) {
      return tableMap && readTable(tableMap, [...tablesPath, tableId]);
    }
    const rowMap = tableMap && getChildMap(tableMap, key, [...tablesPath, tableId]);
    return rowMap && readRow(rowMap, [...tablesPath, tableId, key]);
  };

  /**
   * A whole subtree under `key` of the map at `scope` changed. `into`/`lost`
   * get the changes and the content to merge back; `depth` counts map levels.
   */
  const subtreeChanged = (
    event: Y.YMapEvent<unknown>,
    scope: string[],
    key: string,
    into: Entries,
    lost: Entries,
    depth: number,
  ): void => {
    const change = event.changes.keys.get(key)!;
    const path = [...scope, key];
    const added = readTree(scope, key) ?? {};
    if (change.action === 'delete') {
      if (path.length === 1) {
        // The whole `t` or `v` map went: delete what it had, one by one.
        for (const id of Object.keys(formerContent(change.oldValue, event, depth))) {
          setOwn(into, id, undefined);
        }
      } else {
        put(into, path.slice(1), undefined);
      }
      return;
    }
    // The part of the changes object for this subtree (under `t`/`v`, drop that key).
    const base = path.slice(1);
    forEachLeaf(added, depth, (leafPath, cell) => put(into, [...base, ...leafPath], cell));
    if (change.action !== 'update') {
      return;
    }
    const merge = isConcurrentReplacement(event.target, key, change.oldValue);
    const former = formerContent(change.oldValue, event, depth);
    // What the old map had and the new one lacks: deleted, or merged back.
    const walk = (old: Tree, now: Tree | undefined, level: number, at: string[]): void => {
      for (const id of Object.keys(old)) {
        const inNow = now !== undefined && Object.hasOwn(now, id);
        if (inNow && level > 0) {
          walk(old[id] as Tree, now![id] as Tree, level - 1, [...at, id]);
        } else if (!inNow && merge) {
          forEachLeaf({[id]: old[id]} as Tree, level, (leafPath, cell) => {
            put(lost, [...base, ...at, ...leafPath], cell);
            merging = true;
          });
        } else if (!inNow) {
          put(into, [...base, ...at, id], undefined);
        }
      }
    };
    walk(former, added, depth, []);
  };

  for (const event of events) {
    const target = event.target;
    const scope = event.path.map(String);
    if (!(event instanceof Y.YMapEvent) || !(target instanceof Y.Map)) {
      throw new YjsLayoutError(
        `a ${target.constructor.name} changed at ${[yMapName, ...scope].join(' / ')}: only Y.Maps belong in the layout`,
      );
    }
    const [top, ...inTables] = scope;
    for (const key of event.keysChanged) {
      if (!event.changes.keys.has(key)) {
        // Touched without a visible change (a concurrent write that lost, say).
        continue;
      }
      if (scope.length === 0 && key === TABLES_KEY) {
        subtreeChanged(event, [], key, tables, lostTables, 2);
      } else if (scope.length === 0 && key === VALUES_KEY) {
        subtreeChanged(event, [], key, values, lostValues, 0);
      } else if (scope.length === 1 && top === VALUES_KEY) {
        setOwn(values, key, valuesMap && getCell(valuesMap, key, [yMapName, VALUES_KEY]));
      } else if (top === TABLES_KEY && scope.length <= 2) {
        subtreeChanged(event, scope, key, tables, lostTables, 2 - scope.length);
      } else if (top === TABLES_KEY && scope.length === 3) {
        put(tables, [...inTables, key], getCell(target, key, [yMapName, ...scope]));
      } else {
        throw new YjsLayoutError(
          `unexpected key ${JSON.stringify(key)} changed at ${[yMapName, ...scope].join(' / ')}`,
        );
      }
    }
  }

  return {
    changes: [tables, values, 1] as Changes,
    mergeBack: merging ? ([lostTables, lostValues, 1] as Changes) : undefined,
  };
};

/** True when `changes` holds anything at all. */
export const hasChanges = ([tables, values]: Changes): boolean =>
  Object.keys(tables).length > 0 || Object.keys(values).length > 0;
