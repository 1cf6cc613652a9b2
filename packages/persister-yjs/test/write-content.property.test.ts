import type {Content} from '@x/store';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import * as Y from 'yjs';
import {readContent} from '../src/layout';
import {writeContent} from '../src/write-content';

const id = fc.constantFrom('a', 'b', 'c', '__proto__');
const cell = fc.oneof(
  fc.integer({min: -2, max: 2}),
  fc.boolean(),
  fc.constantFrom('s', ''),
  fc.constant(null),
);
const dict = <T>(value: fc.Arbitrary<T>) =>
  fc.dictionary(id, value, {maxKeys: 3, noNullPrototype: false});
const content: fc.Arbitrary<Content> = fc.tuple(
  dict(dict(fc.dictionary(id, cell, {minKeys: 1, maxKeys: 3}))).map((tables) => {
    for (const tableId of Object.keys(tables)) {
      if (Object.keys(tables[tableId]).length === 0) delete tables[tableId];
    }
    return tables;
  }),
  dict(cell),
);

/** Every leaf path of content, with its value, for counting differences. */
const leaves = ([tables, values]: Content): Map<string, unknown> => {
  const out = new Map<string, unknown>();
  for (const [t, table] of Object.entries(tables))
    for (const [r, row] of Object.entries(table))
      for (const [c, value] of Object.entries(row)) out.set(JSON.stringify(['t', t, r, c]), value);
  for (const [v, value] of Object.entries(values)) out.set(JSON.stringify(['v', v]), value);
  return out;
};

describe('writeContent', () => {
  it('makes the doc hold exactly the new content, changing no cell that stayed the same', () => {
    fc.assert(
      fc.property(content, content, (before, after) => {
        const doc = new Y.Doc();
        const root = doc.getMap('store');
        doc.transact(() => writeContent(root, before));
        expect(readContent(root, 'store')).toEqual(before);

        const written: string[] = [];
        root.observeDeep((events) => {
          for (const event of events)
            for (const key of (event as Y.YMapEvent<unknown>).keysChanged)
              written.push(JSON.stringify([...event.path, key]));
        });
        doc.transact(() => writeContent(root, after));
        expect(readContent(root, 'store')).toEqual(after);
        // No cell present before and after with the same value was rewritten.
        const old = leaves(before);
        for (const [path, value] of leaves(after)) {
          if (old.has(path) && old.get(path) === value) {
            expect(written).not.toContain(path);
          }
        }
      }),
      {numRuns: 200},
    );
  });
});

describe('writeContent over a doc off the layout', () => {
  it('replaces other keys, non-maps and bad cells, keeping what already matches', () => {
    const doc = new Y.Doc();
    const root = doc.getMap('store');
    doc.transact(() => {
      root.set('title', 'foreign');
      const tables = new Y.Map<unknown>();
      root.set('t', tables);
      tables.set('pets', 'not a map');
      const toys = new Y.Map<unknown>();
      tables.set('toys', toys);
      const ball = new Y.Map<unknown>();
      toys.set('ball', ball);
      ball.set('color', {rgb: 1});
      ball.set('size', 3);
      root.set('v', new Y.Array());
    });
    const size = (root.get('t') as Y.Map<Y.Map<Y.Map<unknown>>>).get('toys')!.get('ball')!;
    doc.transact(() =>
      writeContent(root, [
        {pets: {fido: {species: 'dog'}}, toys: {ball: {color: 'red', size: 3}}},
        {open: true},
      ]),
    );
    expect(readContent(root, 'store')).toEqual([
      {pets: {fido: {species: 'dog'}}, toys: {ball: {color: 'red', size: 3}}},
      {open: true},
    ]);
    // The row map that was in the layout is the same map, edited in place.
    expect((root.get('t') as Y.Map<Y.Map<unknown>>).get('toys')!.get('ball')).toBe(size);
  });
});
