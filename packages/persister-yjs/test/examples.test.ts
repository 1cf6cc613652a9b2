// The examples in the TSDoc and the README, run as written.
import {createStore} from '@x/store';
import {expect, it} from 'vitest';
import * as Y from 'yjs';
import {createYjsPersister, YjsLayoutError} from '../src';

it('runs the createYjsPersister example', async () => {
  const doc = new Y.Doc();
  const persister = createYjsPersister(
    createStore().setCell('pets', 'fido', 'species', 'dog'),
    doc,
  );
  await persister.save();
  expect(doc.getMap('store').toJSON()).toEqual({t: {pets: {fido: {species: 'dog'}}}, v: {}});
});

it('runs the YjsLayoutError example', async () => {
  const doc = new Y.Doc();
  doc.getMap('store').set('t', 'not a map');
  const seen: [boolean, string][] = [];
  await createYjsPersister(createStore(), doc, 'store', (error) => {
    seen.push([error instanceof YjsLayoutError, String(error)]);
  }).load();
  expect(seen).toEqual([
    [true, 'YjsLayoutError: expected a Y.Map at "store" / "t", found string "not a map"'],
  ]);
});

it('runs the README example, with a second doc standing in for the provider', async () => {
  const doc = new Y.Doc();
  const peer = new Y.Doc();
  doc.on('update', (update: Uint8Array) => Y.applyUpdate(peer, update));
  const store = createStore();
  const persister = createYjsPersister(store, doc);
  await persister.startAutoPersisting({pets: {fido: {species: 'dog'}}});
  store.setCell('pets', 'fido', 'color', 'brown');
  await persister.save();
  expect(doc.getMap('store').toJSON()).toEqual({
    t: {pets: {fido: {species: 'dog', color: 'brown'}}},
    v: {},
  });
  expect(peer.getMap('store').toJSON()).toEqual(doc.getMap('store').toJSON());
  await persister.destroy();
});
