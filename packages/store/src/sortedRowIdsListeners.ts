// Sorted-row-ids listeners remember the list they last got and fire only when the
// sorted, sliced list differs from it.
import type {TablesMap} from './dataMaps';
import type {CallSet, ListenerRecord} from './listenerTree';
import {sortRowIds} from './sort';
import type {Id} from './types';

/** Calls those of `set` (listeners on table `t`) whose list changed. */
export const fireSortedRowIds = (
  tables: TablesMap,
  callSet: CallSet,
  set: Set<ListenerRecord>,
  t: Id,
): void => {
  for (const record of set) {
    const sort = record.sort!;
    const {cellId, descending, offset, limit, last, sorter} = sort;
    // The table is looked up per listener: an earlier listener may have written to it.
    const ids = sortRowIds(tables.get(t), cellId, descending, offset, limit, sorter);
    if (ids.length !== last.length || ids.some((id, i) => id !== last[i])) {
      sort.last = ids;
      callSet(new Set([record]), t, cellId, descending, offset, limit, [...ids]);
    }
  }
};
