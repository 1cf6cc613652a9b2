// callListener(id): calls a listener now with the current state, once for each existing
// id that its wildcards match (an exact id is used even if nothing is there).

import type {CellCounts, TablesMap, ValuesMap} from './dataMaps';
import {KIND_SPEC, type Kind} from './listenerKinds';
import type {CallSet, ListenerRecord} from './listenerTree';
import {fromStored} from './objects';
import {sortRowIds} from './sort';
import type {Id, RowChangeType} from './types';

/** The ids a listener path segment stands for now: itself, or (wildcard) all current ones. */
const idsFor = (id: Id | null, map: Map<Id, unknown> | undefined): Id[] =>
  id === null ? [...(map?.keys() ?? [])] : [id];

export const callListenerNow = (
  tables: TablesMap,
  values: ValuesMap,
  cellCounts: CellCounts,
  callSet: CallSet,
  record: ListenerRecord,
): void => {
  const {kind, path} = record;
  const one = new Set([record]);
  const [p0, p1, p2] = path;
  switch (kind) {
    case 'hasTables':
      callSet(one, tables.size > 0);
      return;
    case 'hasValues':
      callSet(one, values.size > 0);
      return;
    case 'sortedRowIds': {
      const {cellId, descending, offset, limit, sorter} = record.sort!;
      callSet(
        one,
        p0,
        cellId,
        descending,
        offset,
        limit,
        sortRowIds(tables.get(p0!), cellId, descending, offset, limit, sorter),
      );
      return;
    }
    case 'invalidCell':
    case 'invalidValue':
      return; // they report refused writes; there is nothing current to report
  }
  // Listeners of the whole tables or values (and transaction listeners): no ids, and
  // no change getter (nothing is being changed).
  if (!KIND_SPEC[kind as Kind][0]) {
    callSet(one);
    return;
  }
  if (kind === 'value' || kind === 'hasValue') {
    for (const v of idsFor(p0, values)) {
      if (kind === 'value') callSet(one, v, fromStored(values.get(v)), fromStored(values.get(v)));
      else callSet(one, v, values.has(v));
    }
    return;
  }
  for (const t of idsFor(p0, tables)) {
    const table = tables.get(t);
    if (kind === 'rowChanges') {
      if (table) callSet(one, t, 'update' satisfies RowChangeType, [...table.keys()]);
    } else if (kind === 'rowCount') callSet(one, t, table?.size ?? 0);
    else if (kind === 'hasTable') callSet(one, t, !!table);
    else if (kind === 'hasTableCell') {
      for (const c of idsFor(p1, cellCounts.get(t)))
        callSet(one, t, c, !!cellCounts.get(t)?.has(c));
    } else if (kind === 'table' || kind === 'tableCellIds' || kind === 'rowIds') callSet(one, t);
    else {
      for (const r of idsFor(p1, table)) {
        const row = table?.get(r);
        if (kind === 'hasRow') callSet(one, t, r, !!row);
        else if (kind === 'row' || kind === 'cellIds') callSet(one, t, r);
        else {
          for (const c of idsFor(p2, row)) {
            if (kind === 'cell')
              callSet(one, t, r, c, fromStored(row?.get(c)), fromStored(row?.get(c)));
            else callSet(one, t, r, c, !!row?.has(c));
          }
        }
      }
    }
  }
};
