import {describe, expect, it} from 'vitest';
import * as Y from 'yjs';
import {getRootMap, readContent, YjsLayoutError} from '../src/layout';

/** Builds a root map in a fresh doc with `build` (in one transaction). */
const docWith = (build: (root: Y.Map<unknown>) => void): Y.Map<unknown> => {
  const root = new Y.Doc().getMap('store');
  root.doc!.transact(() => build(root));
  return root;
};

const mapOf = (entries: {[key: string]: unknown}): Y.Map<unknown> => {
  const map = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(entries)) {
    map.set(key, value);
  }
  return map;
};

const tablesDoc = (cell: unknown) =>
  docWith((root) => {
    const row = new Y.Map<unknown>();
    const table = new Y.Map<unknown>();
    const tables = new Y.Map<unknown>();
    root.set('t', tables);
    tables.set('pets', table);
    table.set('fido', row);
    row.set('species', cell);
  });

describe('readContent', () => {
  it('reads an empty map as nothing persisted', () => {
    expect(readContent(new Y.Doc().getMap('store'), 'store')).toBeUndefined();
  });

  it('reads empty t and v maps as an empty store, not as nothing', () => {
    const root = docWith((r) => {
      r.set('t', new Y.Map());
      r.set('v', new Y.Map());
    });
    expect(readContent(root, 'store')).toEqual([{}, {}]);
  });

  it('reads nested maps as tables and values', () => {
    const root = docWith((r) => {
      const tables = new Y.Map<unknown>();
      r.set('t', tables);
      const pets = new Y.Map<unknown>();
      tables.set('pets', pets);
      pets.set('fido', mapOf({species: 'dog', legs: 4, good: true, owner: null}));
      r.set('v', mapOf({open: false}));
    });
    expect(readContent(root, 'store')).toEqual([
      {pets: {fido: {species: 'dog', legs: 4, good: true, owner: null}}},
      {open: false},
    ]);
  });

  it('treats __proto__ and constructor as ordinary ids', () => {
    const root = docWith((r) => {
      const tables = new Y.Map<unknown>();
      r.set('t', tables);
      const table = new Y.Map<unknown>();
      tables.set('__proto__', table);
      table.set('constructor', mapOf({['__proto__']: 'x'}));
      r.set('v', mapOf({['__proto__']: 1}));
    });
    const [tables, values] = readContent(root, 'store')!;
    expect(Object.keys(tables)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(tables)).toBe(Object.prototype);
    expect(JSON.stringify([tables, values])).toBe(
      '[{"__proto__":{"constructor":{"__proto__":"x"}}},{"__proto__":1}]',
    );
  });

  it('drops empty row and table maps, which hold no data', () => {
    const root = docWith((r) => {
      const tables = new Y.Map<unknown>();
      r.set('t', tables);
      const table = new Y.Map<unknown>();
      tables.set('empty', new Y.Map());
      tables.set('pets', table);
      table.set('ghost', new Y.Map());
    });
    expect(readContent(root, 'store')).toEqual([{}, {}]);
  });

  it.each([
    ['an unexpected root key', () => docWith((r) => r.set('x', 1)), /unexpected key "x"/],
    ['t that is not a map', () => docWith((r) => r.set('t', 'tables')), /"store" \/ "t"/],
    ['v that is an array', () => docWith((r) => r.set('v', new Y.Array())), /found a YArray/],
    [
      'a row that is a plain object',
      () =>
        docWith((r) => {
          const tables = new Y.Map<unknown>();
          r.set('t', tables);
          tables.set('pets', mapOf({fido: {species: 'dog'}}));
        }),
      /"pets" \/ "fido", found object/,
    ],
    // JSON objects and arrays are cells; an array holding a non-JSON number is not.
    ['a cell that is an array of NaN', () => tablesDoc([Number.NaN]), /found object \[null\]/],
    ['a cell that is a Y.Text', () => tablesDoc(new Y.Text('dog')), /found a YText/],
    ['a cell that is binary', () => tablesDoc(new Uint8Array([1])), /expected a cell/],
    [
      'a value that is undefined',
      () => docWith((r) => r.set('v', mapOf({a: undefined}))),
      /found undefined/,
    ],
  ])('throws a YjsLayoutError for %s', (_, build, message) => {
    const root = build();
    expect(() => readContent(root, 'store')).toThrow(YjsLayoutError);
    expect(() => readContent(root, 'store')).toThrow(message);
  });

  it('names the problem when the root name is taken by another Yjs type', () => {
    const doc = new Y.Doc();
    doc.getText('store');
    expect(() => getRootMap(doc, 'store')).toThrow(/root type 'store' is not a Y.Map/);
  });
});
