// createCustomPersister's arguments after `onIgnoredError` come in two forms:
// ours, `options`; and TinyBase 10's, `persist, extra`, to which ours adds
// `options` as a ninth. This file tells them apart and checks them.
import type {PersisterOptions} from './types';

/**
 * Which kind of store a persister supports, as TinyBase's `Persists` enum:
 * `1` a regular store, `2` a MergeableStore only, `3` either. This library has regular
 * stores only, so `1` and `3` are accepted and `2` is refused.
 *
 * @example
 * ```ts
 * createCustomPersister(store, get, set, add, del, console.warn, Persists.StoreOrMergeableStore, {
 *   getFoo: () => 'foo',
 * });
 * ```
 */
export const Persists = {
  /** A regular store (the only kind there is here). */
  StoreOnly: 1,
  /** A MergeableStore only: refused, as there are none here. */
  MergeableStoreOnly: 2,
  /** Either kind. */
  StoreOrMergeableStore: 3,
} as const;

/** One of the `Persists` values: `1`, `2` or `3`. */
export type PersistsKind = (typeof Persists)[keyof typeof Persists];

/**
 * Members added to the persister (TinyBase's `extra`), e.g. `{getFoo: () => foo}`.
 * A `destroy` member is not added: `persister.destroy()` calls and awaits it
 * once everything else has stopped.
 */
export type PersisterExtra = {
  [name: string]: unknown;
  /** Called and awaited by `persister.destroy()`, last. */
  destroy?: () => unknown;
};

export type TrailingArguments = {options: PersisterOptions; extra: PersisterExtra | undefined};

const isObject = (value: unknown): value is object =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Sorts out `(options)` from `(persist, extra, options)`; throws a TypeError for anything else. */
export const readTrailingArguments = (
  seventh: unknown,
  extra: unknown,
  options: unknown,
): TrailingArguments => {
  if (isObject(seventh) && extra === undefined && options === undefined) {
    return {options: seventh as PersisterOptions, extra: undefined};
  }
  if (seventh === Persists.MergeableStoreOnly) {
    throw new TypeError(
      'createCustomPersister: persist 2 (Persists.MergeableStoreOnly) needs a MergeableStore, which @x does not have; pass 1 or 3',
    );
  }
  if (
    seventh !== undefined &&
    seventh !== Persists.StoreOnly &&
    seventh !== Persists.StoreOrMergeableStore
  ) {
    throw new TypeError(
      `createCustomPersister: the seventh argument must be an options object or persist (1, 2 or 3), got ${JSON.stringify(seventh) ?? typeof seventh}`,
    );
  }
  if (extra !== undefined && !isObject(extra)) {
    throw new TypeError(
      `createCustomPersister: extra (eighth argument) must be an object, got ${typeof extra}`,
    );
  }
  if (options !== undefined && !isObject(options)) {
    throw new TypeError(
      `createCustomPersister: options (ninth argument) must be an object, got ${typeof options}`,
    );
  }
  return {
    options: (options ?? {}) as PersisterOptions,
    extra: extra as PersisterExtra | undefined,
  };
};
