// Cells kept by table, row and cell id, in Maps (so any id is safe).

/** Tables of rows of cells, each holding a `T`. */
export type CellTree<T> = Map<string, Map<string, Map<string, T>>>;

/** Sets the cell's entry, creating its table and row maps as needed. */
export const setInTree = <T>(
  tree: CellTree<T>,
  tableId: string,
  rowId: string,
  cellId: string,
  entry: T,
): void => {
  let table = tree.get(tableId);
  if (!table) {
    table = new Map();
    tree.set(tableId, table);
  }
  let row = table.get(rowId);
  if (!row) {
    row = new Map();
    table.set(rowId, row);
  }
  row.set(cellId, entry);
};
