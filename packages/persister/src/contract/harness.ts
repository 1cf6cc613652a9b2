// What a backend gives the persister contract suite so that the suite can run
// every guarantee of SPEC.md §3 against it.
import type {Store} from '@x/store';
import type {OnIgnoredError, PersistedContent, Persister, PersisterOptions} from '../types';

/** One fresh, empty storage, made for one test. */
export type ContractStorage = {
  /** A new persister for `store` on this storage, created with `options` (`version`, `migrate`). */
  createPersister(
    store: Store,
    onIgnoredError?: OnIgnoredError,
    options?: PersisterOptions,
  ): Persister | Promise<Persister>;
  /**
   * Optional, added: a persister for `store` that shares this storage as a
   * second writer would (another window on the same storage area, another
   * connection, process or client, another Yjs doc exchanging updates). The
   * two-writer case puts one of each on the storage. Without it, a second
   * `createPersister` is used.
   */
  createSecondPersister?(
    store: Store,
    onIgnoredError?: OnIgnoredError,
    options?: PersisterOptions,
  ): Persister | Promise<Persister>;
  /**
   * What is persisted now, read as another reader would; `undefined` when
   * nothing is. Versioned data comes with its third element, `{version}`.
   */
  read(): Promise<PersistedContent | undefined>;
  /** Writes content (with its `{version}`, if any) as another writer would (another tab, process or client). */
  write(content: PersistedContent): Promise<void>;
  /**
   * Puts data that cannot be read as content into the storage and returns a
   * token (its raw text, say) that `readRaw` must still return later if the
   * data was never overwritten. Omit where the storage cannot hold such data.
   */
  writeCorrupt?(): Promise<unknown>;
  /** What `writeCorrupt` put there, read back raw (its token, if never overwritten). */
  readRaw?(): Promise<unknown>;
  /**
   * For a backend that moves unreadable data aside before saving over it (the
   * file backend): the raw data it kept aside, to compare with `writeCorrupt`'s token.
   */
  readKeptAside?(): Promise<unknown>;
  /** Frees the storage (closes servers, removes files). */
  destroy(): Promise<void>;
};

/**
 * A backend's entry into the contract suite: a name, and a way to make a fresh storage per test.
 *
 * @example
 * ```ts
 * const harness: ContractHarness = {
 *   name: 'file',
 *   createStorage: async () => createFileStorage(await mkdtemp(join(tmpdir(), 'contract-'))),
 * };
 * ```
 */
export type ContractHarness = {
  /** Shown in the test names. */
  name: string;
  /** A fresh, empty storage for one test. */
  createStorage(): Promise<ContractStorage>;
  /**
   * How long, at most, an external write may take to reach an autoloading
   * persister (a polling backend needs more than a pushing one).
   */
  autoLoadTimeoutMs?: number;
  /**
   * `false` when two persisters made on one storage cannot hear each other's
   * writes (say, Web Storage without `createSecondPersister`: the `storage`
   * event reaches only other windows). The two-persister and two-writer cases
   * are then not run. Added optional field.
   */
  persistersHearEachOther?: boolean;
  /**
   * Rounds of the two-writer case (default 20): each round is a fresh race
   * with its own random interleaving. `0` skips every two-writer case (a
   * storage that cannot tell "someone else wrote"). Added optional field.
   */
  twoWriterRounds?: number;
  /**
   * `true` for a CRDT (Yjs): a write made before another writer's update
   * arrived is merged with it, never refused. The case "an older app that has
   * not heard of a migration yet never writes into the newer data" is then not
   * run (such a backend refuses only once it has the newer version). Added optional field.
   */
  mergesConcurrentWrites?: boolean;
};
