// TinyBase's Yjs persister keeps its store in the root map 'tinybase' by
// default, in the same layout as ours; ours defaults to 'store'. A TinyBase
// user who changes imports would otherwise start from an empty store without a
// word: when the named map is empty while 'tinybase' holds data, say so.
import * as Y from 'yjs';
import {isEmptyMap, TABLES_KEY, VALUES_KEY} from './layout';

/** TinyBase's default root map name. */
export const TINYBASE_MAP_NAME = 'tinybase';

/**
 * The warning for a persister on `yMapName` when that map is empty and the doc
 * holds a `'tinybase'` map with data in TinyBase's layout (`t` and `v` Y.Maps,
 * not both empty); `undefined` otherwise. Never creates a root type.
 *
 * @example
 * ```ts
 * const warning = tinybaseMapWarning(doc, 'store');
 * if (warning) report(warning);
 * ```
 */
export const tinybaseMapWarning = (yDoc: Y.Doc, yMapName: string): Error | undefined => {
  if (yMapName === TINYBASE_MAP_NAME || !yDoc.share.has(TINYBASE_MAP_NAME)) return undefined;
  let tinybase: Y.Map<unknown>;
  try {
    tinybase = yDoc.getMap(TINYBASE_MAP_NAME);
  } catch {
    return undefined; // another Yjs type: not TinyBase's store
  }
  const tables = tinybase.get(TABLES_KEY);
  const values = tinybase.get(VALUES_KEY);
  if (!(tables instanceof Y.Map && values instanceof Y.Map)) return undefined;
  if (isEmptyMap(tables) && isEmptyMap(values)) return undefined;
  return new Error(
    `Y.Doc map '${yMapName}' is empty, but the doc holds a map '${TINYBASE_MAP_NAME}' with data ` +
      `in TinyBase's layout (TinyBase's default map name). To use that data, pass ` +
      `'${TINYBASE_MAP_NAME}' as yMapName: createYjsPersister(store, yDoc, '${TINYBASE_MAP_NAME}').`,
  );
};
