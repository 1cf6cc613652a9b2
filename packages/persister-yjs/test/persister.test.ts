import {createStore} from '@x/store';
import {describe, expect, it} from 'vitest';
import * as Y from 'yjs';
import {createYjsPersister, YjsLayoutError} from '../src';
import {canonical, docContent, linkDocs, settle, syncDocs, until, writeAsOther} from './helpers';

const rootOf = (doc: Y.Doc) => doc.getMap('store');
const tablesOf = (doc: Y.Doc) => rootOf(doc).get('t') as Y.Map<Y.Map<Y.Map<unknown>>>;

/** Every key that changed in the doc, as 'path/key', per transaction, with its origin. */
const recordChanges = (doc: Y.Doc) => {
  const log: {origin: unknown; keys: string[]}[] = [];
  rootOf(doc).observeDeep((events, transaction) => {
    const keys: string[] = [];
    for (const event of events) {
      for (const key of (event as Y.YMapEvent<unknown>).keysChanged) {
        keys.push([...event.path, key].join('/'));
      }
    }
    log.push({origin: transaction.origin, keys: keys.sort()});
  });
  return log;
};

describe('createYjsPersister', () => {
  it('saves into t and v maps, in one transaction whose origin is the persister', async () => {
    const doc = new Y.Doc();
    const store = createStore()
      .setTables({pets: {fido: {species: 'dog', legs: 4}}})
      .setValues({open: true});
    const persister = createYjsPersister(store, doc);
    const origins: unknown[] = [];
    doc.on('afterTransaction', (transaction: Y.Transaction) => origins.push(transaction.origin));
    await persister.save();
    expect(origins).toEqual([persister]);
    expect(persister.getYDoc()).toBe(doc);
    expect(tablesOf(doc).get('pets')?.get('fido')).toBeInstanceOf(Y.Map);
    expect(docContent(doc)).toEqual([{pets: {fido: {species: 'dog', legs: 4}}}, {open: true}]);
    await persister.destroy();
  });

  it('saves an empty store as empty t and v maps, which load back as empty content', async () => {
    const doc = new Y.Doc();
    const persister = createYjsPersister(createStore(), doc);
    await persister.save();
    expect(docContent(doc)).toEqual([{}, {}]);
    const other = createStore();
    await createYjsPersister(other, doc).load({pets: {fido: {species: 'dog'}}});
    expect(other.getContent()).toEqual([{}, {}]);
    await persister.destroy();
  });

  it('loads an empty doc as nothing persisted, so the initial content applies', async () => {
    const store = createStore();
    await createYjsPersister(store, new Y.Doc()).load({pets: {fido: {species: 'dog'}}});
    expect(store.getTables()).toEqual({pets: {fido: {species: 'dog'}}});
  });

  it('writes a transaction incrementally: one doc transaction touching only the changed cells', async () => {
    const doc = new Y.Doc();
    const store = createStore().setTables({
      pets: {fido: {species: 'dog', legs: 4}, felix: {species: 'cat'}},
      toys: {ball: {color: 'red'}},
    });
    const persister = createYjsPersister(store, doc);
    await persister.startAutoSave();
    const log = recordChanges(doc);
    store.transaction(() => {
      store.setCell('pets', 'fido', 'legs', 3);
      store.delCell('pets', 'felix', 'species');
      store.setCell('toys', 'bone', 'color', 'white');
      store.setValue('open', false);
    });
    await until(() => log.length > 0, 'the autosave');
    await settle();
    expect(log).toEqual([
      {
        origin: persister,
        keys: ['t/pets/felix/species', 't/pets/fido/legs', 't/toys/bone', 'v/open'],
      },
    ]);
    expect(docContent(doc)).toEqual(store.getContent());
    await persister.destroy();
  });

  it('makes a full save with the fewest operations: nothing when the doc already matches', async () => {
    const doc = new Y.Doc();
    const store = createStore().setTables({
      pets: {fido: {species: 'dog'}, felix: {species: 'cat'}},
    });
    const persister = createYjsPersister(store, doc);
    await persister.save();
    let updates = 0;
    doc.on('update', () => updates++);
    await persister.save();
    expect(updates).toBe(0);

    const log = recordChanges(doc);
    store.setCell('pets', 'felix', 'species', 'lion').delRow('pets', 'fido').setValue('zoo', 1);
    await persister.save();
    expect(log).toEqual([
      {origin: persister, keys: ['t/pets/felix/species', 't/pets/fido', 'v/zoo']},
    ]);
    expect(docContent(doc)).toEqual(store.getContent());
    await persister.destroy();
  });

  it('leaves an emptied row map (another doc may be adding to it); readers see no row', async () => {
    const doc = new Y.Doc();
    const store = createStore().setTables({pets: {fido: {species: 'dog', legs: 4}}});
    const persister = createYjsPersister(store, doc);
    await persister.startAutoSave();
    store.delCell('pets', 'fido', 'species');
    await until(() => !tablesOf(doc).get('pets')?.get('fido')?.has('species'), 'the cell delete');
    expect(tablesOf(doc).get('pets')?.get('fido')?.toJSON()).toEqual({legs: 4});
    store.delCell('pets', 'fido', 'legs');
    await until(() => tablesOf(doc).get('pets')?.get('fido')?.size === 0, 'the last cell to go');
    expect(docContent(doc)).toEqual([{}, {}]);
    const other = createStore();
    await createYjsPersister(other, doc).load();
    expect(other.getContent()).toEqual([{}, {}]);
    await persister.destroy();
  });

  it('applies remote transactions to the store, and ignores transactions of its own origin', async () => {
    const doc = new Y.Doc();
    const store = createStore();
    const persister = createYjsPersister(store, doc);
    await persister.startAutoLoad({pets: {fido: {species: 'dog'}}});
    await persister.save();
    const pets = tablesOf(doc).get('pets')!;
    pets.get('fido')!.set('color', 'brown');
    await until(() => store.getCell('pets', 'fido', 'color') === 'brown', 'the remote cell');

    // A transaction that claims to be the persister's own is not loaded.
    doc.transact(() => pets.get('fido')!.set('color', 'black'), persister);
    await settle();
    expect(store.getCell('pets', 'fido', 'color')).toBe('brown');
    await persister.destroy();
  });

  it('replaces the store content when another writer replaces the whole maps', async () => {
    const doc = new Y.Doc();
    const store = createStore();
    const persister = createYjsPersister(store, doc);
    await persister.startAutoPersisting({pets: {fido: {species: 'dog'}}});
    writeAsOther(doc, [{toys: {ball: {color: 'red'}}}, {open: true}]);
    await until(() => store.hasTable('toys'), 'the remote content');
    expect(store.getContent()).toEqual([{toys: {ball: {color: 'red'}}}, {open: true}]);
    await settle();
    expect(docContent(doc)).toEqual(store.getContent());
    await persister.destroy();
  });

  it('carries ids like __proto__ and constructor both ways as ordinary ids', async () => {
    const doc = new Y.Doc();
    const peer = new Y.Doc();
    const unlink = linkDocs(doc, peer);
    const store = createStore();
    const persister = createYjsPersister(store, doc);
    await persister.startAutoPersisting();
    store.setCell('__proto__', 'constructor', 'prototype', 'local');
    const saved = [{['__proto__']: {constructor: {prototype: 'local'}}}, {}];
    await until(() => canonical(docContent(peer)) === canonical(saved), 'the local save');
    const peerRow = (peer.getMap('store').get('t') as Y.Map<Y.Map<Y.Map<unknown>>>)
      .get('__proto__')!
      .get('constructor')!;
    peer.transact(() => {
      peerRow.set('__proto__', 'remote');
      (peer.getMap('store').get('v') as Y.Map<unknown>).set('constructor', 1);
    });
    await until(() => store.getValue('constructor') === 1, 'the remote change');
    expect(store.getRow('__proto__', 'constructor')).toEqual(
      Object.fromEntries([
        ['prototype', 'local'],
        ['__proto__', 'remote'],
      ]),
    );
    // Nothing leaked onto Object.prototype.
    expect(({} as {prototype?: unknown}).prototype).toBeUndefined();
    unlink();
    await persister.destroy();
  });

  it('uses the map named by yMapName and leaves other root maps alone', async () => {
    const doc = new Y.Doc();
    doc.getMap('mine').set('keep', 1);
    const persister = createYjsPersister(createStore().setValue('a', 1), doc, 'other');
    await persister.save();
    expect(doc.getMap('mine').toJSON()).toEqual({keep: 1});
    expect(docContent(doc, 'other')).toEqual([{}, {a: 1}]);
  });

  it('with autosave and autoload on, three transactions in a row without await all reach the doc', async () => {
    const doc = new Y.Doc();
    const store = createStore();
    const persister = createYjsPersister(store, doc);
    await persister.startAutoPersisting();
    store.transaction(() => store.setRow('pets', 'fido', {species: 'dog'}));
    store.transaction(() => store.setRow('pets', 'felix', {species: 'cat'}).setValue('n', 2));
    store.transaction(() => store.delRow('pets', 'fido').setCell('pets', 'felix', 'legs', 4));
    const expected = [{pets: {felix: {species: 'cat', legs: 4}}}, {n: 2}];
    await until(() => canonical(docContent(doc)) === canonical(expected), 'all three');
    await settle();
    expect(store.getContent()).toEqual(expected);
    expect(docContent(doc)).toEqual(store.getContent());
    await persister.destroy();
  });
});

describe('a doc not in the layout', () => {
  const foreignDoc = () => {
    const doc = new Y.Doc();
    doc.transact(() => {
      rootOf(doc).set('t', new Y.Map());
      rootOf(doc).set('title', 'somebody else’s data');
    });
    return doc;
  };

  it('is reported from load; neither the store nor the doc change, not even after a user change, until save({overwrite: true})', async () => {
    const doc = foreignDoc();
    const before = Y.encodeStateAsUpdate(doc);
    const errors: unknown[] = [];
    const store = createStore().setValue('mine', 1);
    const persister = createYjsPersister(store, doc, 'store', (error) => errors.push(error));
    await persister.load({pets: {fido: {species: 'dog'}}});
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(YjsLayoutError);
    expect(String(errors[0])).toMatch(/unexpected key "title"/);
    expect(store.getContent()).toEqual([{}, {mine: 1}]);

    // Autopersisting writes nothing over data it could not read...
    await persister.startAutoPersisting();
    await settle();
    expect(persister.getStats().saves).toBe(0);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
    // ...not even after the user changes something...
    store.setValue('mine', 2);
    await settle();
    expect(persister.getStats().saves).toBe(0);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
    // ...until the app replaces it on purpose.
    await persister.save({overwrite: true});
    expect(rootOf(doc).has('title')).toBe(false);
    expect(docContent(doc)).toEqual([{}, {mine: 2}]);
    await persister.destroy();
  });

  it('is reported when a remote write breaks it, and the store keeps its data', async () => {
    const doc = new Y.Doc();
    const errors: unknown[] = [];
    const store = createStore();
    const persister = createYjsPersister(store, doc, 'store', (error) => errors.push(error));
    await persister.startAutoPersisting({pets: {fido: {species: 'dog'}}});
    await until(() => docContent(doc) !== undefined, 'the first save');
    tablesOf(doc).get('pets')!.get('fido')!.set('species', new Y.Text('dog'));
    await until(() => errors.length > 0, 'the error');
    expect(String(errors[0])).toMatch(/"pets" \/ "fido" \/ "species", found a YText/);
    expect(store.getTables()).toEqual({pets: {fido: {species: 'dog'}}});
    await persister.stopAutoPersisting();
  });
});

describe('concurrent creation of the same map on two docs', () => {
  const offlinePair = async () => {
    const docs = [new Y.Doc(), new Y.Doc()];
    const stores = [createStore(), createStore()];
    const persisters = docs.map((doc, i) => createYjsPersister(stores[i], doc));
    for (const persister of persisters) {
      await persister.startAutoPersisting();
    }
    return {docs, stores, persisters};
  };

  it('keeps the rows, cells and values of both sides', async () => {
    const {docs, stores, persisters} = await offlinePair();
    stores[0].setRow('pets', 'fido', {species: 'dog'}).setCell('pets', 'rex', 'a', 1);
    stores[0].setValue('zero', 0);
    stores[1].setRow('pets', 'felix', {species: 'cat'}).setCell('pets', 'rex', 'b', 2);
    stores[1].setValue('one', 1);
    await until(() => docs.every((doc) => docContent(doc) !== undefined), 'both saves');
    await settle();
    for (let round = 0; round < 3; round++) {
      syncDocs(docs[0], docs[1]);
      syncDocs(docs[1], docs[0]);
      await settle();
    }
    const expected = [
      {pets: {fido: {species: 'dog'}, felix: {species: 'cat'}, rex: {a: 1, b: 2}}},
      {zero: 0, one: 1},
    ];
    for (let i = 0; i < 2; i++) {
      expect(stores[i].getContent()).toEqual(expected);
      expect(docContent(docs[i])).toEqual(expected);
    }
    await Promise.all(persisters.map((persister) => persister.destroy()));
  });

  it('agrees on one value when both sides set the same new cell differently', async () => {
    const {docs, stores, persisters} = await offlinePair();
    stores[0].setCell('pets', 'fido', 'species', 'dog');
    stores[1].setCell('pets', 'fido', 'species', 'wolf');
    await until(() => docs.every((doc) => docContent(doc) !== undefined), 'both saves');
    for (let round = 0; round < 3; round++) {
      syncDocs(docs[0], docs[1]);
      syncDocs(docs[1], docs[0]);
      await settle();
    }
    expect(stores[0].getContent()).toEqual(stores[1].getContent());
    expect(['dog', 'wolf']).toContain(stores[0].getCell('pets', 'fido', 'species'));
    expect(docContent(docs[0])).toEqual(stores[0].getContent());
    expect(docContent(docs[1])).toEqual(stores[1].getContent());
    await Promise.all(persisters.map((persister) => persister.destroy()));
  });

  it('does not bring back a table that another writer deleted and re-created', async () => {
    const {docs, stores, persisters} = await offlinePair();
    stores[0].setRow('pets', 'fido', {species: 'dog'});
    await until(() => docContent(docs[0]) !== undefined, 'the save');
    // Both fresh docs created their own `t` map: exchange until both have fido.
    for (let round = 0; round < 3; round++) {
      syncDocs(docs[0], docs[1]);
      syncDocs(docs[1], docs[0]);
      await settle();
    }
    await until(() => stores[1].hasRow('pets', 'fido'), 'the load');
    stores[1].delTable('pets');
    await settle();
    stores[1].setRow('pets', 'felix', {species: 'cat'});
    await settle();
    syncDocs(docs[1], docs[0]);
    await until(() => stores[0].hasRow('pets', 'felix'), 'the new row');
    await settle();
    expect(stores[0].getTables()).toEqual({pets: {felix: {species: 'cat'}}});
    expect(docContent(docs[0])).toEqual(docContent(docs[1]));
    await Promise.all(persisters.map((persister) => persister.destroy()));
  });
});
