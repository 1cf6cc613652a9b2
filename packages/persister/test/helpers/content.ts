// Plain-data helpers for what a test storage holds.
import type {Changes, Content} from '@x/store';

export const cloneJson = <T>(value: T): T =>
  value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);

const isEmpty = (object: object) => Object.keys(object).length === 0;

/** Applies `changes` to a copy of `content`, as an incremental storage would (its version kept). */
export const applyChangesToContent = (content: Content | undefined, changes: Changes): Content => {
  const copy = cloneJson(content) ?? [{}, {}];
  const [tables, values] = copy;
  for (const [tableId, table] of Object.entries(changes[0])) {
    if (table === undefined) {
      delete tables[tableId];
      continue;
    }
    tables[tableId] ??= {};
    const target = tables[tableId];
    for (const [rowId, row] of Object.entries(table)) {
      if (row === undefined) {
        delete target[rowId];
        continue;
      }
      target[rowId] ??= {};
      const targetRow = target[rowId];
      for (const [cellId, cell] of Object.entries(row)) {
        if (cell === undefined) delete targetRow[cellId];
        else targetRow[cellId] = cell;
      }
      if (isEmpty(targetRow)) delete target[rowId];
    }
    if (isEmpty(target)) delete tables[tableId];
  }
  for (const [valueId, value] of Object.entries(changes[1])) {
    if (value === undefined) delete values[valueId];
    else values[valueId] = value;
  }
  return copy;
};
