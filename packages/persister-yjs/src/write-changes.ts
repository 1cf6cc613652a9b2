// An incremental save: the store's net transaction changes, applied to the doc
// cell by cell, inside the caller's Yjs transaction.
import type {Changes} from '@x/store';
import * as Y from 'yjs';
import {getChildMap, getRootMaps, TABLES_KEY, VALUES_KEY} from './layout';

/**
 * Checks, before anything is written, that every map the changes will touch is
 * in the layout, so that a bad doc is left untouched rather than half-written.
 */
export const checkChangesTarget = (
  root: Y.Map<unknown>,
  yMapName: string,
  [changedTables]: Changes,
): void => {
  const [tablesMap] = getRootMaps(root, yMapName);
  if (tablesMap === undefined) {
    return;
  }
  const tablesPath = [yMapName, TABLES_KEY];
  for (const tableId of Object.keys(changedTables)) {
    const tableMap = getChildMap(tablesMap, tableId, tablesPath);
    const changedRows = changedTables[tableId];
    if (tableMap !== undefined && changedRows !== undefined) {
      for (const rowId of Object.keys(changedRows)) {
        getChildMap(tableMap, rowId, [...tablesPath, tableId]);
      }
    }
  }
};

/** Gets the map under `key`, creating it (only) when a cell is about to be written into it. */
const getOrCreateMap = (parent: Y.Map<unknown>, key: string): Y.Map<unknown> => {
  let child = parent.get(key) as Y.Map<unknown> | undefined;
  if (child === undefined) {
    child = new Y.Map<unknown>();
    parent.set(key, child);
  }
  return child;
};

/** Applies `changes` to the doc; call inside `yDoc.transact` after checkChangesTarget. */
export const writeChanges = (
  root: Y.Map<unknown>,
  [changedTables, changedValues]: Changes,
): void => {
  const tableIds = Object.keys(changedTables);
  if (tableIds.length > 0) {
    const tablesMap = getOrCreateMap(root, TABLES_KEY);
    for (const tableId of tableIds) {
      const changedRows = changedTables[tableId];
      if (changedRows === undefined) {
        tablesMap.delete(tableId);
        continue;
      }
      let tableMap = tablesMap.get(tableId) as Y.Map<unknown> | undefined;
      for (const rowId of Object.keys(changedRows)) {
        const changedCells = changedRows[rowId];
        if (changedCells === undefined) {
          tableMap?.delete(rowId);
          continue;
        }
        let rowMap = tableMap?.get(rowId) as Y.Map<unknown> | undefined;
        for (const cellId of Object.keys(changedCells)) {
          const cell = changedCells[cellId];
          if (cell === undefined) {
            rowMap?.delete(cellId);
          } else if (rowMap?.get(cellId) !== cell || !rowMap.has(cellId)) {
            tableMap ??= getOrCreateMap(tablesMap, tableId);
            rowMap ??= getOrCreateMap(tableMap, rowId);
            rowMap.set(cellId, cell);
          }
        }
        // A row (or table) map left empty stays: deleting it would also delete
        // cells another doc adds to it meanwhile. The reader treats it as no row.
      }
    }
  }
  const valueIds = Object.keys(changedValues);
  if (valueIds.length > 0) {
    const valuesMap = getOrCreateMap(root, VALUES_KEY);
    for (const valueId of valueIds) {
      const value = changedValues[valueId];
      if (value === undefined) {
        valuesMap.delete(valueId);
      } else if (valuesMap.get(valueId) !== value || !valuesMap.has(valueId)) {
        valuesMap.set(valueId, value);
      }
    }
  }
};
