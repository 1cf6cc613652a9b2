// Coming from TinyBase 10's Yjs persister: the same layout (`t` and `v`) under
// another default map name ('tinybase' there, 'store' here). Docs written by
// the real `tinybase` package read back the same with yMapName 'tinybase', both
// ways; with our default, an empty 'store' next to TinyBase's data is reported.
import {createStore} from '@x/store';
import {createStore as createTinyBaseStore} from 'tinybase';
import {createYjsPersister as createTinyBaseYjsPersister} from 'tinybase/persisters/persister-yjs';
import {describe, expect, it} from 'vitest';
import * as Y from 'yjs';
import {createYjsPersister} from '../src';

const TABLES = {pets: {fido: {species: 'dog', legs: 4, sold: false}}, 'odd.table': {'': {c: 'x'}}};
const VALUES = {open: true, owner: 'Ada'};

const WARNING =
  "Y.Doc map 'store' is empty, but the doc holds a map 'tinybase' with data in TinyBase's layout " +
  "(TinyBase's default map name). To use that data, pass 'tinybase' as yMapName: " +
  "createYjsPersister(store, yDoc, 'tinybase').";

/** A doc as TinyBase 10's Yjs persister leaves it, with its default map name. */
const docWrittenByTinyBase = async (tables: object = TABLES, values: object = VALUES) => {
  const doc = new Y.Doc();
  const persister = createTinyBaseYjsPersister(
    createTinyBaseStore()
      .setTables(tables as never)
      .setValues(values as never),
    doc,
  );
  await persister.save();
  await persister.destroy();
  return doc;
};

describe('a Y.Doc written by TinyBase 10', () => {
  it("reads TinyBase's data with yMapName 'tinybase', as TinyBase does", async () => {
    const doc = await docWrittenByTinyBase();
    const tinybaseStore = createTinyBaseStore();
    const tinybase = createTinyBaseYjsPersister(tinybaseStore, doc);
    await tinybase.load();
    await tinybase.destroy();
    const store = createStore();
    const errors: unknown[] = [];
    const persister = createYjsPersister(store, doc, 'tinybase', (error) => errors.push(error));
    await persister.load();
    await persister.destroy();
    expect(store.getContent()).toEqual(tinybaseStore.getContent());
    expect(store.getContent()).toEqual([TABLES, VALUES]);
    expect(errors).toEqual([]);
  });

  it('TinyBase reads back what @x wrote into the same map', async () => {
    const doc = await docWrittenByTinyBase();
    const store = createStore();
    const persister = createYjsPersister(store, doc, 'tinybase');
    await persister.startAutoPersisting();
    store.setCell('pets', 'fido', 'legs', 3).delValue('owner').setCell('pets', 'rex', 'age', 2);
    await persister.destroy();
    const tinybaseStore = createTinyBaseStore();
    const tinybase = createTinyBaseYjsPersister(tinybaseStore, doc);
    await tinybase.load();
    await tinybase.destroy();
    expect(tinybaseStore.getContent()).toEqual(store.getContent());
  });

  it("warns once, through onIgnoredError, when 'store' is empty and 'tinybase' holds data", async () => {
    const doc = await docWrittenByTinyBase();
    const errors: unknown[] = [];
    const store = createStore();
    const persister = createYjsPersister(store, doc, undefined, (error) => errors.push(error));
    await persister.load({initial: {r: {c: 1}}});
    await persister.load();
    await persister.destroy();
    expect(errors.map(String)).toEqual([`Error: ${WARNING}`]);
    // Nothing else changes: the initial content applies, TinyBase's map is untouched.
    expect(store.getContent()).toEqual([{initial: {r: {c: 1}}}, {}]);
    expect(doc.getMap('tinybase').toJSON()).toEqual({t: TABLES, v: VALUES});
  });

  it('warns also when the doc came from a provider (root types not yet typed as maps)', async () => {
    const written = await docWrittenByTinyBase();
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(written));
    const errors: unknown[] = [];
    const persister = createYjsPersister(createStore(), doc, 'store', (error) =>
      errors.push(error),
    );
    await persister.load();
    await persister.destroy();
    expect(errors.map(String)).toEqual([`Error: ${WARNING}`]);
  });

  it("does not warn when 'tinybase' is empty, absent, not a map, or when 'store' holds data", async () => {
    const cases: [string, Y.Doc][] = [
      ['TinyBase saved an empty store', await docWrittenByTinyBase({}, {})],
      ['no tinybase map', new Y.Doc()],
    ];
    const array = new Y.Doc();
    array.getArray('tinybase').push([1]);
    cases.push(['tinybase is an array', array]);
    const both = await docWrittenByTinyBase();
    const ours = createYjsPersister(createStore().setTables({mine: {r: {c: 1}}}), both);
    await ours.save();
    await ours.destroy();
    cases.push(["'store' holds data", both]);
    for (const [name, doc] of cases) {
      const errors: unknown[] = [];
      const persister = createYjsPersister(createStore(), doc, 'store', (error) =>
        errors.push(error),
      );
      await persister.load();
      await persister.destroy();
      expect([name, errors]).toEqual([name, []]);
    }
    // Nor does reading create a 'tinybase' root type.
    expect(cases[1][1].share.has('tinybase')).toBe(false);
  });
});
