// callListener(id): calls a listener now with the current state, once for each existing
// id that its wildcards match (an exact id is used even if nothing is there).

import type {CellCounts, TablesMap, ValuesMap} from './dataMaps';
import {KIND_SPEC, type Kind} from './listenerKinds';
import type {CallSet, ListenerRecord} from './listenerTree';
import {fromStored, type Stored} from './objects';
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
  const call = callSet as (set: Set<ListenerRecord>, ...args: unknown[]) => void;
  const n = KIND_SPEC[kind as Kind][0];
  if (kind.startsWith('invalid')) return; // they report refused writes: nothing current
  if (kind === 'sortedRowIds') {
    const {cellId, descending, offset, limit, sorter} = record.sort!;
    const t = path[0]!;
    call(
      one,
      t,
      cellId,
      descending,
      offset,
      limit,
      sortRowIds(tables.get(t), cellId, descending, offset, limit, sorter),
    );
  } else if (!n) {
    // The whole tables or values (or a transaction): no ids, no change getter.
    if (kind.startsWith('has')) call(one, (kind === 'hasTables' ? tables : values).size > 0);
    else call(one);
  } else {
    // Level by level: values, or tables then rows (or a table's cell ids) then cells.
    const walk = (container: Map<Id, unknown> | undefined, ids: Id[]): void => {
      for (const id of idsFor(path[ids.length], container)) {
        const now = [...ids, id];
        if (now.length < n) {
          walk(
            (kind === 'hasTableCell' ? cellCounts : (container as Map<Id, Map<Id, unknown>>))?.get(
              id,
            ),
            now,
          );
        } else {
          const x = container?.get(id) as Stored & Map<Id, unknown>;
          if (kind.startsWith('has')) call(one, ...now, !!container?.has(id));
          else if (kind === 'value' || kind === 'cell')
            call(one, ...now, fromStored(x), fromStored(x));
          else if (kind === 'rowCount') call(one, ...now, x?.size ?? 0);
          else if (kind !== 'rowChanges') call(one, ...now);
          else if (x) call(one, ...now, 'update' satisfies RowChangeType, [...x.keys()]);
        }
      }
    };
    walk(kind.endsWith('alue') ? values : tables, []);
  }
};
