import {describe, expect, it} from 'vitest';
import * as Y from 'yjs';
import {type RemoteChanges, readEvents} from '../src/read-events';
import {syncDocs, writeAsOther} from './helpers';

/** A doc holding some tables and values. */
const setup = () => {
  const doc = new Y.Doc();
  writeAsOther(doc, [
    {
      pets: {fido: {species: 'dog', legs: 4}, felix: {species: 'cat'}},
      toys: {ball: {color: 'red'}},
    },
    {open: true},
  ]);
  return {doc};
};

/** Runs `change` in one transaction and returns what readEvents made of it. */
const read = (doc: Y.Doc, change: () => void): RemoteChanges => {
  let result: RemoteChanges | undefined;
  const root = doc.getMap('store');
  const observer = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
    result = readEvents(events, root, 'store');
  };
  root.observeDeep(observer);
  doc.transact(change, 'remote');
  root.unobserveDeep(observer);
  return result!;
};

const tables = (doc: Y.Doc) => doc.getMap('store').get('t') as Y.Map<Y.Map<Y.Map<unknown>>>;

describe('readEvents', () => {
  it('turns cell and value writes into changes of only those cells', () => {
    const {doc} = setup();
    const remote = read(doc, () => {
      tables(doc).get('pets')!.get('fido')!.set('legs', 3);
      tables(doc).get('pets')!.get('felix')!.delete('species');
      (doc.getMap('store').get('v') as Y.Map<unknown>).set('open', false);
    });
    expect(remote).toEqual({
      changes: [{pets: {fido: {legs: 3}, felix: {species: undefined}}}, {open: false}, 1],
      mergeBack: undefined,
    });
  });

  it('turns a new row into its cells, and a deleted row or table into one deletion', () => {
    const {doc} = setup();
    const remote = read(doc, () => {
      const row = new Y.Map<unknown>();
      tables(doc).get('pets')!.set('rex', row);
      row.set('species', 'wolf');
      tables(doc).get('pets')!.delete('fido');
      tables(doc).delete('toys');
    });
    expect(remote.changes).toEqual([
      {pets: {rex: {species: 'wolf'}, fido: undefined}, toys: undefined},
      {},
      1,
    ]);
  });

  it('turns a re-created row into its new cells plus deletions of the old ones', () => {
    const {doc} = setup();
    const remote = read(doc, () => {
      const row = new Y.Map<unknown>();
      tables(doc).get('pets')!.set('fido', row);
      row.set('species', 'wolf');
    });
    expect(remote.changes).toEqual([{pets: {fido: {species: 'wolf', legs: undefined}}}, {}, 1]);
    expect(remote.mergeBack).toBeUndefined();
  });

  it('asks to merge back what a concurrent creation of the same row hid', () => {
    const {doc} = setup();
    const other = new Y.Doc();
    // Of two concurrent map entries Yjs keeps the one of the higher client id: theirs.
    other.clientID = doc.clientID + 1;
    syncDocs(doc, other);
    // Both sides create row 'rex' without seeing each other.
    const mine = new Y.Map<unknown>();
    tables(doc).get('pets')!.set('rex', mine);
    mine.set('mine', 1);
    const theirs = new Y.Map<unknown>();
    tables(other).get('pets')!.set('rex', theirs);
    theirs.set('theirs', 2);
    const results: RemoteChanges[] = [];
    doc
      .getMap('store')
      .observeDeep((events) => results.push(readEvents(events, doc.getMap('store'), 'store')));
    syncDocs(other, doc);
    expect(tables(doc).get('pets')!.get('rex')).not.toBe(mine);
    expect(results).toEqual([
      {
        changes: [{pets: {rex: {theirs: 2}}}, {}, 1],
        mergeBack: [{pets: {rex: {mine: 1}}}, {}, 1],
      },
    ]);
  });

  it('throws a YjsLayoutError naming the place of a bad remote cell', () => {
    const {doc} = setup();
    expect(() =>
      read(doc, () => tables(doc).get('pets')!.get('fido')!.set('legs', new Y.Text('4'))),
    ).toThrow(/"store" \/ "t" \/ "pets" \/ "fido" \/ "legs", found a YText/);
  });
});
