// Listeners are kept in trees of Maps keyed by id, with `null` as the wildcard
// key, so that a change to one path reaches only the listeners on that path
// and on its wildcards: no scan of all listeners per write.
import type {Id, Sorter} from './types';

export type ListenerFn = (...args: unknown[]) => void;

/** One registered listener. `path` holds the ids it watches (`null`: any). */
export type ListenerRecord = {
  id: Id;
  /** Registration order (the id as a number). */
  seq: number;
  kind: string;
  /** How many arguments the listener gets after the store. */
  arity: number;
  path: (Id | null)[];
  fn: ListenerFn;
  /** Registered with `mutator: true`: called inside the transaction, before the others. */
  mutator?: boolean;
  /** Only sorted-row-ids listeners: their arguments and their last result. */
  sort?: {
    cellId: Id | undefined;
    descending: boolean;
    offset: number;
    limit: number | undefined;
    sorter?: Sorter;
    last: Id[];
  };
};

/** A tree node: Maps down to the last level, whose values are Sets of records. */
export type Tree = Map<Id | null, Tree | Set<ListenerRecord>>;

export const addToTree = (tree: Tree, path: (Id | null)[], record: ListenerRecord): void => {
  let node = tree;
  const last = path.length - 1;
  for (let i = 0; i < last; i++) {
    let child = node.get(path[i]) as Tree | undefined;
    if (!child) {
      child = new Map();
      node.set(path[i], child);
    }
    node = child;
  }
  let leaf = node.get(path[last]) as Set<ListenerRecord> | undefined;
  if (!leaf) {
    leaf = new Set();
    node.set(path[last], leaf);
  }
  leaf.add(record);
};

/** Removes a record and prunes emptied nodes, so `tree.size` stays a cheap "anyone?" test. */
export const delFromTree = (
  node: Tree,
  path: (Id | null)[],
  record: ListenerRecord,
  depth = 0,
): void => {
  const child = node.get(path[depth]);
  if (!child) return;
  if (child instanceof Set) child.delete(record);
  else delFromTree(child, path, record, depth + 1);
  if (!child.size) node.delete(path[depth]);
};

/**
 * Calls every listener of a set (a tree leaf) with exactly its documented arguments;
 * defined by createStore, which holds the state it needs.
 */
export type CallSet = (
  set: Tree | Set<ListenerRecord> | undefined,
  a?: unknown,
  b?: unknown,
  c?: unknown,
  d?: unknown,
  e?: unknown,
  f?: unknown,
) => void;
