// What a map held just before the transaction that replaced it. Yjs still has
// the deleted entries (and their content) while the transaction's observers
// run; it garbage-collects them only afterwards.
import type {Cell} from '@x/store';
import * as Y from 'yjs';
import {isCell} from './layout';

/** The part of a Yjs event that knows what its transaction added and deleted. */
export type TransactionEvent = {
  adds(struct: Y.Item): boolean;
  deletes(struct: Y.Item): boolean;
};

/** A plain copy of nested maps: `depth` levels of maps above the cells. */
export type Tree = {[id: string]: Tree | Cell};

/**
 * The entries `map` had before the transaction of `event`: those that this
 * transaction deleted (older tombstones and entries it added are left out).
 * Anything off the layout is skipped: it was never content.
 */
export const formerContent = (map: unknown, event: TransactionEvent, depth: number): Tree => {
  const tree: Tree = {};
  if (!(map instanceof Y.Map)) {
    return tree;
  }
  map._map.forEach((item, key) => {
    if (!event.deletes(item) || event.adds(item)) {
      return;
    }
    const content = item.content;
    if (content instanceof Y.ContentType) {
      if (depth > 0 && content.type instanceof Y.Map) {
        Object.defineProperty(tree, key, {
          value: formerContent(content.type, event, depth - 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return;
    }
    const values = content.getContent();
    const value: unknown = values[values.length - 1];
    if (depth === 0 && isCell(value)) {
      Object.defineProperty(tree, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  });
  return tree;
};
