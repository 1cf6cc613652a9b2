// The listener events a change from one model state to another must cause.
import type {Cell} from '../src';
import {type Model, same} from './model';

const keys = (o: object | undefined) => Object.keys(o ?? {});
const union = (a: object | undefined, b: object | undefined) => [
  ...new Set([...keys(a), ...keys(b)]),
];
const sameSet = (a: object | undefined, b: object | undefined) => {
  const ka = keys(a);
  const kb = new Set(keys(b));
  return ka.length === kb.size && ka.every((k) => kb.has(k));
};
const show = (x: Cell | undefined) => (x === undefined ? 'undefined' : JSON.stringify(x));
const tableCellIds = (table: Model['tables'][string] | undefined) => {
  const ids: Record<string, true> = Object.create(null);
  for (const r of keys(table)) for (const c of keys(table![r])) ids[c] = true;
  return ids;
};

export const expectedEvents = (a: Model, b: Model): string[] => {
  const events: string[] = [];
  let tablesChanged = false;
  for (const t of union(a.tables, b.tables)) {
    const ta = a.tables[t];
    const tb = b.tables[t];
    let tableChanged = false;
    const rowChanges: Record<string, string[]> = {create: [], update: [], delete: []};
    for (const r of union(ta, tb)) {
      const ra = ta?.[r];
      const rb = tb?.[r];
      let rowChanged = false;
      for (const c of union(ra, rb)) {
        if (!same(ra?.[c], rb?.[c])) {
          rowChanged = true;
          events.push(`cell ${t}/${r}/${c} ${show(rb?.[c])} ${show(ra?.[c])}`);
          if ((ra?.[c] === undefined) !== (rb?.[c] === undefined)) {
            events.push(`hasCell ${t}/${r}/${c} ${rb?.[c] !== undefined}`);
          }
        }
      }
      if (rowChanged) {
        tableChanged = true;
        events.push(`row ${t}/${r}`);
        if (!sameSet(ra, rb)) events.push(`cellIds ${t}/${r}`);
        if (!ra !== !rb) events.push(`hasRow ${t}/${r} ${!!rb}`);
        rowChanges[!rb ? 'delete' : ra ? 'update' : 'create'].push(r);
      }
    }
    if (tableChanged) {
      tablesChanged = true;
      events.push(`table ${t}`);
      if (!sameSet(ta, tb)) events.push(`rowIds ${t}`);
      if (keys(ta).length !== keys(tb).length) events.push(`rowCount ${t} ${keys(tb).length}`);
      if (!sameSet(tableCellIds(ta), tableCellIds(tb))) events.push(`tableCellIds ${t}`);
      if (!ta !== !tb) events.push(`hasTable ${t} ${!!tb}`);
      for (const type of ['create', 'update', 'delete']) {
        if (rowChanges[type].length) {
          const name = type === 'delete' && ta && !tb ? 'clear' : type;
          events.push(`rowChanges ${t} ${name} ${rowChanges[type].sort().join(',')}`);
        }
      }
    }
  }
  if (!sameSet(a.tables, b.tables)) events.push('tableIds');
  if (tablesChanged) events.push('tables');
  if (!keys(a.tables).length !== !keys(b.tables).length)
    events.push(`hasTables ${keys(b.tables).length > 0}`);
  let valuesChanged = false;
  for (const v of union(a.values, b.values)) {
    if (!same(a.values[v], b.values[v])) {
      valuesChanged = true;
      events.push(`value ${v} ${show(b.values[v])} ${show(a.values[v])}`);
      if ((a.values[v] === undefined) !== (b.values[v] === undefined)) {
        events.push(`hasValue ${v} ${b.values[v] !== undefined}`);
      }
    }
  }
  if (!sameSet(a.values, b.values)) events.push('valueIds');
  if (valuesChanged) events.push('values');
  if (!keys(a.values).length !== !keys(b.values).length)
    events.push(`hasValues ${keys(b.values).length > 0}`);
  return events.sort();
};
