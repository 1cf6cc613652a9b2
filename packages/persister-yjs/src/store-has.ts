// Whether a store already holds what a Changes object says.
import type {Changes, Store} from '@x/store';

/** True when every cell, row, table and value in `changes` is as `store` has it now. */
export const storeHas = (store: Store, [tables, values]: Changes): boolean => {
  for (const tableId of Object.keys(tables)) {
    const rows = tables[tableId];
    if (rows === undefined) {
      if (store.hasTable(tableId)) return false;
      continue;
    }
    for (const rowId of Object.keys(rows)) {
      const cells = rows[rowId];
      if (cells === undefined) {
        if (store.hasRow(tableId, rowId)) return false;
        continue;
      }
      for (const cellId of Object.keys(cells)) {
        if (store.getCell(tableId, rowId, cellId) !== cells[cellId]) return false;
      }
    }
  }
  return Object.keys(values).every((valueId) => store.getValue(valueId) === values[valueId]);
};
