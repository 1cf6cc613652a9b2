// Remote doc changes -> store Changes, touching only what the Yjs events touched.
//
// A touched cell or value becomes that cell's new state. A touched row, table,
// or the whole `t`/`v` map (added, deleted or replaced by another map) becomes
// the new state of that subtree plus deletions for what the store or the old
// map held there. Sets are never diffed against the store: the core may apply
// changes later than they are read, so each one must be right on its own.
import type {Cell, Changes, Row, Store} from '@x/store';
import * as Y from 'yjs';
import {formerKeys, isConcurrentReplacement} from './concurrent';
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

/** How a whole subtree was touched: `merge` for a concurrent replacement, `former` keys of the old map. */
type Replaced = {merge: boolean; former: string[]};
type TouchedRow = {whole?: Replaced; cells: Set<string>};
type TouchedTable = {whole?: Replaced; rows: Map<string, TouchedRow>};
type Touched = {
  allTables?: Replaced;
  tables: Map<string, TouchedTable>;
  allValues?: Replaced;
  values: Set<string>;
};

/** What a remote transaction means for the store, and what must be merged back into the doc. */
export type RemoteChanges = {
  /** To give to the persister core's listener. */
  changes: Changes;
  /** Store content lost to concurrent map creations, to write back into the doc (or undefined). */
  mergeBack: Changes | undefined;
};

type ChangedRows = {[rowId: string]: {[cellId: string]: Cell | undefined} | undefined};

const newChanges = (): Changes => [{}, {}, 1];

const childOf = <Child>(object: object, key: string, create: () => Child): Child => {
  if (!Object.hasOwn(object, key)) {
    setOwn(object, key, create());
  }
  return (object as {[key: string]: Child})[key];
};

const union = (...lists: string[][]): string[] => Array.from(new Set(lists.flat()));

/** Collects the touched subtrees from the events of one transaction. */
const collectTouched = (events: Y.YEvent<Y.AbstractType<unknown>>[], yMapName: string): Touched => {
  const touched: Touched = {tables: new Map(), values: new Set()};
  const table = (tableId: string): TouchedTable =>
    touched.tables.get(tableId) ?? touched.tables.set(tableId, {rows: new Map()}).get(tableId)!;
  const row = (tableId: string, rowId: string): TouchedRow => {
    const rows = table(tableId).rows;
    return rows.get(rowId) ?? rows.set(rowId, {cells: new Set()}).get(rowId)!;
  };
  for (const event of events) {
    const target = event.target;
    const path = event.path.map(String);
    if (!(event instanceof Y.YMapEvent) || !(target instanceof Y.Map)) {
      throw new YjsLayoutError(
        `a ${target.constructor.name} changed at ${[yMapName, ...path].join(' / ')}: only Y.Maps belong in the layout`,
      );
    }
    const keyChanges = event.changes.keys;
    const replaced = (key: string): Replaced => {
      const oldValue = keyChanges.get(key)?.oldValue;
      return {
        merge: isConcurrentReplacement(target, key, oldValue),
        former: formerKeys(oldValue),
      };
    };
    const [top, tableId, rowId] = path;
    for (const key of event.keysChanged) {
      if (path.length === 0 && key === TABLES_KEY) {
        touched.allTables = replaced(key);
      } else if (path.length === 0 && key === VALUES_KEY) {
        touched.allValues = replaced(key);
      } else if (path.length === 1 && top === TABLES_KEY) {
        table(key).whole = replaced(key);
      } else if (path.length === 1 && top === VALUES_KEY) {
        touched.values.add(key);
      } else if (path.length === 2 && top === TABLES_KEY) {
        row(tableId, key).whole = replaced(key);
      } else if (path.length === 3 && top === TABLES_KEY) {
        row(tableId, rowId).cells.add(key);
      } else {
        throw new YjsLayoutError(
          `unexpected key ${JSON.stringify(key)} changed at ${[yMapName, ...path].join(' / ')}`,
        );
      }
    }
  }
  return touched;
};

/**
 * Reads what one remote transaction changed. Throws a YjsLayoutError when the
 * touched part of the doc is not in the layout.
 */
export const readEvents = (
  events: Y.YEvent<Y.AbstractType<unknown>>[],
  root: Y.Map<unknown>,
  yMapName: string,
  store: Store,
): RemoteChanges => {
  const touched = collectTouched(events, yMapName);
  const [tablesMap, valuesMap] = getRootMaps(root, yMapName);
  const changes = newChanges();
  const mergeBack = newChanges();
  let merging = false;
  const tablesPath = [yMapName, TABLES_KEY];

  const changedRows = (into: Changes, tableId: string): ChangedRows =>
    childOf<ChangedRows>(into[0], tableId, () => ({}));
  const mergeCells = (tableId: string, rowId: string, cells: Row): void => {
    if (Object.keys(cells).length === 0) {
      return;
    }
    const target = childOf(changedRows(mergeBack, tableId), rowId, () => ({}))!;
    for (const cellId of Object.keys(cells)) {
      setOwn(target, cellId, cells[cellId]);
      merging = true;
    }
  };

  const emitRow = (tableId: string, rowId: string, docRow: Row, replaced: Replaced): void => {
    const docCellIds = Object.keys(docRow);
    if (docCellIds.length === 0 && !replaced.merge) {
      setOwn(changedRows(changes, tableId), rowId, undefined);
      return;
    }
    const storeRow = store.getRow(tableId, rowId);
    const cells: {[cellId: string]: Cell | undefined} = {};
    const lost: Row = {};
    for (const cellId of docCellIds) {
      setOwn(cells, cellId, docRow[cellId]);
    }
    for (const cellId of union(Object.keys(storeRow), replaced.former)) {
      if (!Object.hasOwn(docRow, cellId)) {
        if (!replaced.merge) {
          setOwn(cells, cellId, undefined);
        } else if (Object.hasOwn(storeRow, cellId)) {
          setOwn(lost, cellId, storeRow[cellId]);
        }
      }
    }
    if (Object.keys(cells).length > 0) {
      setOwn(changedRows(changes, tableId), rowId, cells);
    }
    mergeCells(tableId, rowId, lost);
  };

  const emitTable = (
    tableId: string,
    tableMap: Y.Map<unknown> | undefined,
    replaced: Replaced,
  ): void => {
    const docTable = tableMap === undefined ? {} : readTable(tableMap, [...tablesPath, tableId]);
    const docRowIds = Object.keys(docTable);
    if (docRowIds.length === 0 && !replaced.merge) {
      setOwn(changes[0], tableId, undefined);
      return;
    }
    const inner: Replaced = {merge: replaced.merge, former: []};
    for (const rowId of docRowIds) {
      emitRow(tableId, rowId, docTable[rowId], inner);
    }
    for (const rowId of union(store.getRowIds(tableId), replaced.former)) {
      if (!Object.hasOwn(docTable, rowId)) {
        if (replaced.merge) {
          mergeCells(tableId, rowId, store.getRow(tableId, rowId));
        } else {
          setOwn(changedRows(changes, tableId), rowId, undefined);
        }
      }
    }
  };

  // Tables: the coarsest touched scope wins; finer events inside it are covered.
  if (touched.allTables !== undefined) {
    const replaced = touched.allTables;
    const docTableIds = tablesMap === undefined ? [] : Array.from(tablesMap.keys());
    const inner: Replaced = {merge: replaced.merge, former: []};
    for (const tableId of docTableIds) {
      emitTable(tableId, getChildMap(tablesMap!, tableId, tablesPath), inner);
    }
    for (const tableId of union(store.getTableIds(), replaced.former)) {
      if (!docTableIds.includes(tableId)) {
        emitTable(tableId, undefined, inner);
      }
    }
  } else {
    touched.tables.forEach(({whole, rows}, tableId) => {
      const tableMap = tablesMap && getChildMap(tablesMap, tableId, tablesPath);
      if (whole !== undefined) {
        emitTable(tableId, tableMap, whole);
        return;
      }
      const tablePath = [...tablesPath, tableId];
      rows.forEach((touchedRow, rowId) => {
        const rowMap = tableMap && getChildMap(tableMap, rowId, tablePath);
        if (touchedRow.whole !== undefined) {
          const docRow = rowMap === undefined ? {} : readRow(rowMap, [...tablePath, rowId]);
          emitRow(tableId, rowId, docRow, touchedRow.whole);
          return;
        }
        const cells = childOf(changedRows(changes, tableId), rowId, () => ({}))!;
        for (const cellId of touchedRow.cells) {
          setOwn(
            cells,
            cellId,
            rowMap === undefined ? undefined : getCell(rowMap, cellId, [...tablePath, rowId]),
          );
        }
      });
    });
  }

  // Values.
  const valuesPath = [yMapName, VALUES_KEY];
  const readValue = (valueId: string): Cell | undefined =>
    valuesMap === undefined ? undefined : getCell(valuesMap, valueId, valuesPath);
  if (touched.allValues !== undefined) {
    const {merge, former} = touched.allValues;
    const docValueIds = valuesMap === undefined ? [] : Array.from(valuesMap.keys());
    for (const valueId of docValueIds) {
      setOwn(changes[1], valueId, readValue(valueId));
    }
    const storeValues = store.getValues();
    for (const valueId of union(Object.keys(storeValues), former)) {
      if (!docValueIds.includes(valueId)) {
        if (!merge) {
          setOwn(changes[1], valueId, undefined);
        } else if (Object.hasOwn(storeValues, valueId)) {
          setOwn(mergeBack[1], valueId, storeValues[valueId]);
          merging = true;
        }
      }
    }
  } else {
    for (const valueId of touched.values) {
      setOwn(changes[1], valueId, readValue(valueId));
    }
  }

  return {changes, mergeBack: merging ? mergeBack : undefined};
};

/** True when `changes` holds anything at all. */
export const hasChanges = ([tables, values]: Changes): boolean =>
  Object.keys(tables).length > 0 || Object.keys(values).length > 0;
