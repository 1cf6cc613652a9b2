// A plain-object model of the store's data rules, for the property test. It is
// written from the rules in README.md, independently of the store's code.
import type {Cell} from '../src';

export type Obj<T> = {[id: string]: T};
export type ModelRow = Obj<Cell>;
export type ModelTable = Obj<ModelRow>;
export type Model = {tables: Obj<ModelTable>; values: Obj<Cell>};

/** Null-prototype objects: `__proto__` and friends are ordinary keys here. */
export const obj = <T>(): Obj<T> => Object.create(null);
const has = (o: object, k: string) => Object.hasOwn(o, k);
const isScalar = (x: unknown) =>
  x === null ||
  typeof x === 'string' ||
  typeof x === 'boolean' ||
  (typeof x === 'number' && Number.isFinite(x));
/** Plain, acyclic JSON: scalars, dense arrays, plain objects (string keys only). */
const isJson = (x: unknown, above: unknown[]): boolean => {
  if (isScalar(x)) return true;
  if (typeof x !== 'object' || x === null || above.includes(x)) return false;
  const proto = Object.getPrototypeOf(x);
  const keys = Reflect.ownKeys(x);
  const shapeOk = Array.isArray(x)
    ? proto === Array.prototype && keys.length === x.length + 1
    : (proto === Object.prototype || proto === null) && keys.every((k) => typeof k === 'string');
  return (
    shapeOk &&
    Object.keys(x).every((k) => Object.getOwnPropertyDescriptor(x, k)!.enumerable) &&
    Object.values(x).every((y) => isJson(y, [...above, x]))
  );
};
export const isValid = (x: unknown): x is Cell => isJson(x, []);
/** Objects and arrays are kept as copies and compared by their JSON text. */
const copy = (x: Cell): Cell =>
  x !== null && typeof x === 'object' ? JSON.parse(JSON.stringify(x)) : x;
export const same = (a: unknown, b: unknown) =>
  a === b || (a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b));
const isPlain = (x: unknown): x is Obj<unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

export const emptyModel = (): Model => ({tables: obj(), values: obj()});

export const cloneModel = (m: Model): Model => {
  const tables = obj<ModelTable>();
  for (const t of Object.keys(m.tables)) {
    tables[t] = obj();
    for (const r of Object.keys(m.tables[t]))
      tables[t][r] = Object.assign(obj<Cell>(), m.tables[t][r]);
  }
  return {tables, values: Object.assign(obj<Cell>(), m.values)};
};

/** Drops emptied rows and tables. */
const tidy = (m: Model, t: string, r?: string) => {
  const table = m.tables[t];
  if (!table) return;
  if (r !== undefined && table[r] && !Object.keys(table[r]).length) delete table[r];
  if (!Object.keys(table).length) delete m.tables[t];
};

const rowUsable = (row: unknown) =>
  isPlain(row) && (!Object.keys(row).length || Object.values(row).some((x) => isValid(x)));
const tableUsable = (table: unknown) =>
  isPlain(table) && (!Object.keys(table).length || Object.values(table).some(rowUsable));

export const setCell = (m: Model, t: string, r: string, c: string, cell: unknown) => {
  if (!isValid(cell)) return;
  m.tables[t] ??= obj();
  m.tables[t][r] ??= obj();
  m.tables[t][r][c] = copy(cell);
};
export const delCell = (m: Model, t: string, r: string, c: string) => {
  if (m.tables[t]?.[r]) {
    delete m.tables[t][r][c];
    tidy(m, t, r);
  }
};
export const delRow = (m: Model, t: string, r: string) => {
  if (m.tables[t]) {
    delete m.tables[t][r];
    tidy(m, t);
  }
};
export const delTable = (m: Model, t: string) => {
  delete m.tables[t];
};
export const setPartialRow = (m: Model, t: string, r: string, row: unknown) => {
  if (!isPlain(row)) return;
  for (const c of Object.keys(row)) setCell(m, t, r, c, row[c]);
};
export const setRow = (m: Model, t: string, r: string, row: unknown) => {
  if (!rowUsable(row)) return;
  const input = row as Obj<unknown>;
  for (const c of Object.keys(input)) setCell(m, t, r, c, input[c]);
  for (const c of Object.keys(m.tables[t]?.[r] ?? {})) if (!has(input, c)) delete m.tables[t][r][c];
  tidy(m, t, r);
};
export const setTable = (m: Model, t: string, table: unknown) => {
  if (!tableUsable(table)) return;
  const input = table as Obj<unknown>;
  for (const r of Object.keys(input)) setRow(m, t, r, input[r]);
  for (const r of Object.keys(m.tables[t] ?? {})) if (!has(input, r)) delRow(m, t, r);
};
export const setTables = (m: Model, tables: unknown) => {
  if (!isPlain(tables) || (Object.keys(tables).length && !Object.values(tables).some(tableUsable)))
    return;
  for (const t of Object.keys(tables)) setTable(m, t, tables[t]);
  for (const t of Object.keys(m.tables)) if (!has(tables, t)) delTable(m, t);
};
export const setValue = (m: Model, v: string, value: unknown) => {
  if (isValid(value)) m.values[v] = copy(value);
};
export const setValues = (m: Model, values: unknown) => {
  if (
    !isPlain(values) ||
    (Object.keys(values).length && !Object.values(values).some((x) => isValid(x)))
  )
    return;
  for (const v of Object.keys(values)) setValue(m, v, values[v]);
  for (const v of Object.keys(m.values)) if (!has(values, v)) delete m.values[v];
};

/** The net changes from `a` to `b`, in the shape of getTransactionChanges. */
export const diff = (a: Model, b: Model) => {
  const tables = obj<Obj<Obj<Cell | undefined> | undefined> | undefined>();
  for (const t of new Set([...Object.keys(a.tables), ...Object.keys(b.tables)])) {
    if (!b.tables[t]) {
      tables[t] = undefined;
      continue;
    }
    const rows = obj<Obj<Cell | undefined> | undefined>();
    const ta = a.tables[t] ?? {};
    const tb = b.tables[t];
    for (const r of new Set([...Object.keys(ta), ...Object.keys(tb)])) {
      if (!tb[r]) {
        rows[r] = undefined;
        continue;
      }
      const cells = obj<Cell | undefined>();
      for (const c of new Set([...Object.keys(ta[r] ?? {}), ...Object.keys(tb[r])])) {
        if (!same(ta[r]?.[c], tb[r][c])) cells[c] = tb[r][c];
      }
      if (Object.keys(cells).length) rows[r] = cells;
    }
    if (Object.keys(rows).length) tables[t] = rows;
  }
  const values = obj<Cell | undefined>();
  for (const v of new Set([...Object.keys(a.values), ...Object.keys(b.values)])) {
    if (!same(a.values[v], b.values[v])) values[v] = b.values[v];
  }
  return [tables, values, 1];
};

/** Order-insensitive canonical form (undefined kept as a marker) for comparisons. */
export const canon = (x: unknown): unknown =>
  x === undefined
    ? '<undefined>'
    : Array.isArray(x)
      ? x.map(canon)
      : isPlain(x)
        ? Object.keys(x)
            .sort()
            .map((k) => [k, canon(x[k])])
        : x;
