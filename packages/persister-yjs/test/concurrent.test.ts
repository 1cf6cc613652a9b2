import {describe, expect, it} from 'vitest';
import * as Y from 'yjs';
import {isConcurrentReplacement} from '../src/concurrent';

/** Records, for each transaction on `doc`, the old value of key `key` of the root map when it was replaced. */
const watchReplacements = (doc: Y.Doc, key: string) => {
  const root = doc.getMap('store');
  const seen: boolean[] = [];
  root.observe((event) => {
    const change = event.changes.keys.get(key);
    if (change?.action === 'update') {
      seen.push(isConcurrentReplacement(root, key, change.oldValue));
    }
  });
  return seen;
};

const sync = (from: Y.Doc, to: Y.Doc) =>
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)), 'remote');

describe('isConcurrentReplacement', () => {
  it('is true on the side whose map lost a concurrent creation', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    a.getMap('store').set('t', new Y.Map());
    b.getMap('store').set('t', new Y.Map());
    const seenA = watchReplacements(a, 't');
    const seenB = watchReplacements(b, 't');
    sync(a, b);
    sync(b, a);
    // Exactly one side saw its map replaced, and it was concurrent.
    expect([...seenA, ...seenB]).toEqual([true]);
    expect(a.getMap('store').get('t')).toBe(a.getMap('store').get('t'));
  });

  it('is false when the writer had seen the map it replaced', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    a.getMap('store').set('t', new Y.Map());
    sync(a, b);
    const seenA = watchReplacements(a, 't');
    b.getMap('store').set('t', new Y.Map());
    sync(b, a);
    expect(seenA).toEqual([false]);
  });

  it('is false for a delete and re-create, even delivered in one update', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    a.getMap('store').set('t', new Y.Map());
    sync(a, b);
    const seenA = watchReplacements(a, 't');
    b.getMap('store').delete('t');
    b.getMap('store').set('t', new Y.Map());
    b.getMap('store').set('t', new Y.Map());
    sync(b, a);
    expect(seenA).toEqual([false]);
  });
});
