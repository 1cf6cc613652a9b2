// Test helpers: an independent reader of the doc layout, a link between two
// docs, and a bounded wait. Written apart from src/ so that the tests do not
// check the persister against itself.
import type {Migrate, PersistedContent} from '@x/persister';
import * as Y from 'yjs';

const own = (object: object, key: string, value: unknown) =>
  Object.defineProperty(object, key, {value, enumerable: true, writable: true, configurable: true});

const plain = (map: unknown): {[key: string]: unknown} => {
  const object = {};
  if (map instanceof Y.Map) {
    map.forEach((value, key) => {
      if (!(value instanceof Y.Map)) own(object, key, value);
      else {
        // An empty row or table map is no row or table (the persister leaves them).
        const inner = plain(value);
        if (Object.keys(inner).length > 0) own(object, key, inner);
      }
    });
  }
  return object;
};

/**
 * What the doc holds, as another reader sees it (with `{version}` when the root has
 * a `version` key); `undefined` when the map is empty.
 */
export const docContent = (doc: Y.Doc, yMapName = 'store'): PersistedContent | undefined => {
  const root = doc.getMap(yMapName);
  if (root.size === 0) return undefined;
  const content = [plain(root.get('t')), plain(root.get('v'))];
  return (
    root.has('version') ? [...content, {version: root.get('version')}] : content
  ) as PersistedContent;
};

/**
 * Writes content as another writer would: fresh `t` and `v` maps, built from
 * scratch, and the `version` key set (versioned content) or deleted.
 */
export const writeAsOther = (doc: Y.Doc, content: PersistedContent, yMapName = 'store'): void => {
  const [tables, values] = content;
  const toMap = (object: {[key: string]: unknown}, depth: number): Y.Map<unknown> => {
    const map = new Y.Map<unknown>();
    for (const key of Object.keys(object)) {
      const value = object[key];
      map.set(key, depth > 0 ? toMap(value as {[key: string]: unknown}, depth - 1) : value);
    }
    return map;
  };
  doc.transact(() => {
    const root = doc.getMap(yMapName);
    root.set('t', toMap(tables, 2));
    root.set('v', toMap(values, 0));
    if (content.length === 3) root.set('version', content[2].version);
    else root.delete('version');
  }, 'other writer');
};

/** Links two docs so that every update of one is applied to the other at once. */
export const linkDocs = (a: Y.Doc, b: Y.Doc): (() => void) => {
  const toB = (update: Uint8Array, origin: unknown) => {
    if (origin !== b) Y.applyUpdate(b, update, a);
  };
  const toA = (update: Uint8Array, origin: unknown) => {
    if (origin !== a) Y.applyUpdate(a, update, b);
  };
  a.on('update', toB);
  b.on('update', toA);
  return () => {
    a.off('update', toB);
    b.off('update', toA);
  };
};

/** Sends `from` everything `to` lacks. */
export const syncDocs = (from: Y.Doc, to: Y.Doc): void =>
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)), 'sync');

/** Resolves once `predicate` holds, polling; rejects after `timeoutMs` with `what`. */
export const until = async (
  predicate: () => boolean,
  what: string,
  timeoutMs = 5000,
): Promise<void> => {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

/** Lets pending promise callbacks and timers of 0 ms run. */
export const settle = async (rounds = 5): Promise<void> => {
  for (let round = 0; round < rounds; round++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
};

/** JSON with keys sorted at every level, to compare content whatever the key order. */
export const canonical = (value: unknown): string =>
  JSON.stringify(value, (_, node: unknown) =>
    node !== null && typeof node === 'object' && !Array.isArray(node)
      ? Object.fromEntries(
          Object.keys(node)
            .sort()
            .map((key) => [key, (node as {[key: string]: unknown})[key]]),
        )
      : node,
  );

/** Version 2 calls `legs` `legCount`. */
export const renameLegs: Migrate = ([tables, values]) => {
  const pets = Object.fromEntries(
    Object.entries(tables.pets ?? {}).map(([rowId, {legs, ...row}]) => [
      rowId,
      legs === undefined ? row : {...row, legCount: legs},
    ]),
  );
  return [{...tables, pets}, values];
};
