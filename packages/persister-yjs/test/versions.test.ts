// Versions in the doc: the root map's `version` key beside `t` and `v` (only above
// 0). An old doc that hears a newer version reports it and writes nothing more; a
// new one migrates older data. Docs exchange real Yjs updates.
import {PersisterVersionError} from '@x/persister';
import {type Content, createStore} from '@x/store';
import {afterEach, describe, expect, it} from 'vitest';
import * as Y from 'yjs';
import {createYjsPersister, YjsLayoutError} from '../src';
import {docContent, linkDocs, renameLegs, settle, syncDocs, until} from './helpers';

const cleanUps: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});

const FIDO: Content = [{pets: {fido: {species: 'dog', legs: 4}}}, {employees: 3}];
const MIGRATED: Content = [{pets: {fido: {species: 'dog', legCount: 4}}}, {employees: 3}];

const newDoc = () => {
  const doc = new Y.Doc();
  cleanUps.push(() => doc.destroy());
  return doc;
};

/** How many changes this doc's own client has made so far (its clock). */
const ownClock = (doc: Y.Doc): number =>
  Y.decodeStateVector(Y.encodeStateVector(doc)).get(doc.clientID) ?? 0;

const errorsOf = () => {
  const errors: unknown[] = [];
  return {errors, onIgnoredError: (error: unknown) => errors.push(error)};
};

type Options = Parameters<typeof createYjsPersister>[4];
const persisterOn = (doc: Y.Doc, onIgnoredError?: (error: unknown) => void, options?: Options) => {
  const store = createStore();
  const persister = createYjsPersister(store, doc, 'store', onIgnoredError, options);
  cleanUps.push(() => persister.destroy());
  return {store, persister};
};

describe('the layout', () => {
  it('has no version key without a version, and `version` beside t and v with one', async () => {
    const plain = newDoc();
    const {store, persister} = persisterOn(plain);
    store.setContent(FIDO);
    await persister.save();
    expect(plain.getMap('store').toJSON()).toEqual({t: FIDO[0], v: FIDO[1]});

    const versioned = newDoc();
    const second = persisterOn(versioned, undefined, {version: 2});
    second.store.setContent(FIDO);
    await second.persister.save();
    expect(versioned.getMap('store').toJSON()).toEqual({t: FIDO[0], v: FIDO[1], version: 2});
    expect(docContent(versioned)).toEqual([...FIDO, {version: 2}]);
  });

  it('a full save sets the version and the cells in one transaction', async () => {
    const doc = newDoc();
    const other = newDoc();
    cleanUps.push(linkDocs(doc, other));
    const transactions: string[][] = [];
    other.getMap('store').observeDeep((events) => {
      transactions.push(
        events.flatMap((event) =>
          [...event.changes.keys.keys()].map((key) => [...event.path, key].join('/')),
        ),
      );
    });
    const {store, persister} = persisterOn(doc, undefined, {version: 1});
    store.setContent(FIDO);
    await persister.save();
    expect(transactions).toHaveLength(1);
    expect(transactions[0]).toEqual(expect.arrayContaining(['t', 'v', 'version']));
  });

  it('reads its own version back without migrating, and writes changes without touching it', async () => {
    const doc = newDoc();
    const root = doc.getMap('store');
    doc.transact(() => {
      const fido = new Y.Map<unknown>([['legCount', 4]]);
      root.set('t', new Y.Map<unknown>([['pets', new Y.Map<unknown>([['fido', fido]])]]));
      root.set('v', new Y.Map<unknown>());
      root.set('version', 2);
    });
    let migrations = 0;
    const {errors, onIgnoredError} = errorsOf();
    const {store, persister} = persisterOn(doc, onIgnoredError, {
      version: 2,
      migrate: (content) => {
        migrations++;
        return content;
      },
    });
    await persister.startAutoPersisting();
    expect(store.getContent()).toEqual([{pets: {fido: {legCount: 4}}}, {}]);
    store.setCell('pets', 'fido', 'color', 'brown');
    await until(() => docContent(doc)?.[0].pets?.fido?.color === 'brown', 'the change');
    expect(docContent(doc)).toEqual([
      {pets: {fido: {legCount: 4, color: 'brown'}}},
      {},
      {version: 2},
    ]);
    expect(migrations).toBe(0);
    expect(errors).toEqual([]);
  });

  it('migrates a doc without a version (version 0) and writes it whole with the new version', async () => {
    const doc = newDoc();
    const {persister: plain, store: plainStore} = persisterOn(doc);
    plainStore.setContent(FIDO);
    await plain.save();
    const {errors, onIgnoredError} = errorsOf();
    const {store, persister} = persisterOn(doc, onIgnoredError, {version: 2, migrate: renameLegs});
    await persister.startAutoPersisting();
    expect(store.getContent()).toEqual(MIGRATED);
    await until(() => doc.getMap('store').get('version') === 2, 'the migrated save');
    expect(docContent(doc)).toEqual([...MIGRATED, {version: 2}]);
    expect(errors).toEqual([]);
  });

  it('an app without a version does not write over a versioned doc, unless with save({overwrite: true})', async () => {
    const doc = newDoc();
    const {store, persister} = persisterOn(doc, undefined, {version: 1});
    store.setContent(FIDO);
    await persister.save();
    expect(doc.getMap('store').get('version')).toBe(1);
    const clock = ownClock(doc);
    const {errors, onIgnoredError} = errorsOf();
    const old = persisterOn(doc, onIgnoredError);
    old.store.setValue('n', 1);
    await old.persister.startAutoPersisting();
    old.store.setValue('n', 2);
    await settle(20);
    await old.persister.save();
    expect(ownClock(doc)).toBe(clock);
    expect(errors.some((error) => error instanceof PersisterVersionError)).toBe(true);
    // On purpose: the doc becomes version 0 again, in the same transaction as the cells.
    await old.persister.save({overwrite: true});
    expect(doc.getMap('store').toJSON()).toEqual({t: {}, v: {n: 2}});
  });
});

describe('an old doc (version 1) and a new one (version 2) exchanging updates', () => {
  it('the new one migrates; the old one reports, loads nothing, and writes nothing after hearing it', async () => {
    const oldDoc = newDoc();
    const newerDoc = newDoc();
    cleanUps.push(linkDocs(oldDoc, newerDoc));
    const old = errorsOf();
    const a = persisterOn(oldDoc, old.onIgnoredError, {version: 1});
    await a.persister.startAutoPersisting(FIDO);
    await until(() => oldDoc.getMap('store').get('version') === 1, 'the old app to save');

    const fresh = errorsOf();
    const b = persisterOn(newerDoc, fresh.onIgnoredError, {version: 2, migrate: renameLegs});
    await b.persister.startAutoPersisting();
    expect(b.store.getContent()).toEqual(MIGRATED);
    await until(() => oldDoc.getMap('store').get('version') === 2, 'the migration to reach A');
    await until(
      () => old.errors.some((error) => error instanceof PersisterVersionError),
      'the old app to report the new version',
    );
    expect(old.errors.find((error) => error instanceof PersisterVersionError)).toMatchObject({
      storedVersion: 2,
      appVersion: 1,
    });
    expect(a.store.getContent()).toEqual(FIDO);
    const clock = ownClock(oldDoc);
    const migrated = JSON.stringify(docContent(newerDoc));

    a.store.setCell('pets', 'fido', 'legs', 3);
    a.store.setRow('pets', 'rex', {species: 'cat', legs: 4});
    a.store.setValue('employees', 4);
    await settle(20);
    await a.persister.save();
    await a.persister.destroy();
    expect(ownClock(oldDoc)).toBe(clock);
    expect(JSON.stringify(docContent(newerDoc))).toBe(migrated);
    expect(docContent(newerDoc)).toEqual([...MIGRATED, {version: 2}]);
    expect(b.store.getContent()).toEqual(MIGRATED);
    expect(fresh.errors).toEqual([]);
  });

  it('an old doc that only autosaves finds the new version when it saves, and writes nothing', async () => {
    const oldDoc = newDoc();
    const old = errorsOf();
    const a = persisterOn(oldDoc, old.onIgnoredError, {version: 1});
    a.store.setContent(FIDO);
    await a.persister.save();
    await a.persister.startAutoSave();

    const newerDoc = newDoc();
    syncDocs(oldDoc, newerDoc);
    const b = persisterOn(newerDoc, undefined, {version: 2, migrate: renameLegs});
    await b.persister.load();
    await b.persister.save();
    // The migration reaches A; A does not listen, so its core still thinks version 1.
    syncDocs(newerDoc, oldDoc);
    const clock = ownClock(oldDoc);
    a.store.setCell('pets', 'fido', 'legs', 3);
    await until(
      () => old.errors.some((error) => error instanceof PersisterVersionError),
      'the old app to find the new version when saving',
    );
    await settle(20);
    expect(ownClock(oldDoc)).toBe(clock);
    expect(docContent(oldDoc)).toEqual([...MIGRATED, {version: 2}]);
  });

  it('hears a change of version as "re-read", never as changes of cells', async () => {
    const oldDoc = newDoc();
    const newerDoc = newDoc();
    cleanUps.push(linkDocs(oldDoc, newerDoc));
    const old = errorsOf();
    const a = persisterOn(oldDoc, old.onIgnoredError, {version: 1});
    await a.persister.startAutoLoad(FIDO);
    a.store.setContent(FIDO);
    await a.persister.save();
    // Another version-1 doc's change of a cell is heard as that change.
    const loads = a.persister.getStats().loads;
    const b = persisterOn(newerDoc, undefined, {version: 2, migrate: renameLegs});
    await b.persister.load();
    await b.persister.save();
    await until(() => old.errors.length > 0, 'the old app to re-read');
    // One re-read (a getPersisted), no changes applied.
    expect(a.persister.getStats().loads).toBe(loads + 1);
    expect(a.store.getContent()).toEqual(FIDO);
    expect(old.errors[0]).toBeInstanceOf(PersisterVersionError);
  });

  it('writes made by the old doc before the update arrived are merged into the migrated doc (a CRDT cannot refuse them)', async () => {
    const oldDoc = newDoc();
    const old = errorsOf();
    const a = persisterOn(oldDoc, old.onIgnoredError, {version: 1});
    a.store.setContent(FIDO);
    await a.persister.save();
    await a.persister.startAutoPersisting();
    const newerDoc = newDoc();
    syncDocs(oldDoc, newerDoc);
    const b = persisterOn(newerDoc, undefined, {version: 2, migrate: renameLegs});
    await b.persister.startAutoPersisting();
    await until(() => newerDoc.getMap('store').get('version') === 2, 'the migration');
    // Offline from each other: A writes a cell of the old shape meanwhile.
    a.store.setCell('pets', 'fido', 'legs', 3);
    await until(() => docContent(oldDoc)?.[0].pets?.fido?.legs === 3, 'the old write');
    cleanUps.push(linkDocs(oldDoc, newerDoc));
    syncDocs(oldDoc, newerDoc);
    syncDocs(newerDoc, oldDoc);
    await until(
      () => old.errors.some((error) => error instanceof PersisterVersionError),
      'A to hear',
    );
    // The old cell is in the migrated doc, and B hears it as a cell of its version.
    await until(() => b.store.getCell('pets', 'fido', 'legs') === 3, 'B to hear the old cell');
    expect(docContent(newerDoc)?.[0].pets?.fido).toEqual({species: 'dog', legCount: 4, legs: 3});
    const clock = ownClock(oldDoc);
    a.store.setCell('pets', 'fido', 'legs', 2);
    await settle(20);
    expect(ownClock(oldDoc)).toBe(clock);
  });
});

describe('stray cells of an old doc, with a schema in the new app', () => {
  it('are refused, reported and kept in the doc, not loaded', async () => {
    const oldDoc = newDoc();
    const a = persisterOn(oldDoc, () => {}, {version: 1});
    a.store.setContent(FIDO);
    await a.persister.save();
    await a.persister.startAutoPersisting();
    const newerDoc = newDoc();
    syncDocs(oldDoc, newerDoc);
    const fresh = errorsOf();
    const b = persisterOn(newerDoc, fresh.onIgnoredError, {version: 2, migrate: renameLegs});
    b.store.setTablesSchema({pets: {species: {type: 'string'}, legCount: {type: 'number'}}});
    await b.persister.startAutoPersisting();
    await until(() => newerDoc.getMap('store').get('version') === 2, 'the migration');
    a.store.setCell('pets', 'fido', 'legs', 3);
    await until(() => docContent(oldDoc)?.[0].pets?.fido?.legs === 3, 'the old write');
    syncDocs(oldDoc, newerDoc);
    await until(
      () => fresh.errors.some((error) => (error as Error).name === 'PersisterRejectedError'),
      'B to report the stray cell',
    );
    expect(b.store.getRow('pets', 'fido')).toEqual({species: 'dog', legCount: 4});
    expect(b.persister.getRejected()).toEqual([{pets: {fido: {legs: 3}}}, {}]);
    b.store.setCell('pets', 'fido', 'legCount', 5);
    await b.persister.save();
    expect(docContent(newerDoc)?.[0].pets?.fido).toEqual({species: 'dog', legCount: 5, legs: 3});
  });
});

describe('a doc whose version is not a non-negative integer', () => {
  it.each([
    ['-1', -1],
    ['1.5', 1.5],
    ['"2"', '2'],
    ['a map', 'map'],
  ])('version %s is reported, not loaded, and never written to automatically', async (_, bad) => {
    const doc = newDoc();
    const writer = persisterOn(doc, undefined, {version: 1});
    writer.store.setContent(FIDO);
    await writer.persister.save();
    doc.getMap('store').set('version', bad === 'map' ? new Y.Map() : bad);
    const before = JSON.stringify(doc.getMap('store').toJSON());
    const clock = ownClock(doc);
    const {errors, onIgnoredError} = errorsOf();
    const {store, persister} = persisterOn(doc, onIgnoredError, {version: 1});
    store.setValue('mine', 1);
    await persister.startAutoPersisting();
    expect(errors[0]).toBeInstanceOf(YjsLayoutError);
    expect(String(errors[0])).toMatch(/non-negative integer at "store" \/ "version"/);
    expect(store.getContent()).toEqual([{}, {mine: 1}]);
    store.setCell('pets', 'rex', 'legs', 3);
    await settle(20);
    await persister.save();
    expect(ownClock(doc)).toBe(clock);
    expect(JSON.stringify(doc.getMap('store').toJSON())).toBe(before);
    // Replaced only on purpose, then with this app's version.
    await persister.save({overwrite: true});
    expect(docContent(doc)).toEqual([{pets: {rex: {legs: 3}}}, {mine: 1}, {version: 1}]);
  });
});

describe('a version far in the future (1e9)', () => {
  it('is reported, not loaded, and kept', async () => {
    const doc = newDoc();
    const writer = persisterOn(doc, undefined, {version: 1e9});
    writer.store.setContent(FIDO);
    await writer.persister.save();
    const before = JSON.stringify(doc.getMap('store').toJSON());
    const clock = ownClock(doc);
    const {errors, onIgnoredError} = errorsOf();
    const {store, persister} = persisterOn(doc, onIgnoredError, {version: 3, migrate: renameLegs});
    await persister.startAutoPersisting();
    expect(errors[0]).toBeInstanceOf(PersisterVersionError);
    expect(errors[0]).toMatchObject({storedVersion: 1e9, appVersion: 3});
    expect(store.getContent()).toEqual([{}, {}]);
    store.setValue('n', 1);
    await settle(20);
    await persister.save();
    await persister.destroy();
    expect(ownClock(doc)).toBe(clock);
    expect(JSON.stringify(doc.getMap('store').toJSON())).toBe(before);
  });
});
