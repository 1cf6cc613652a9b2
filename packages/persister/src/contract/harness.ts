// What a backend gives the persister contract suite so that the suite can run
// every guarantee of SPEC.md §3 against it.
import type {Content, Store} from '@x/store';
import type {OnIgnoredError, Persister} from '../types';

/** One fresh, empty storage, made for one test. */
export type ContractStorage = {
  /** A new persister for `store` on this storage. */
  createPersister(store: Store, onIgnoredError?: OnIgnoredError): Persister | Promise<Persister>;
  /** What is persisted now, read as another reader would; `undefined` when nothing is. */
  read(): Promise<Content | undefined>;
  /** Writes content as another writer would (another tab, process or client). */
  write(content: Content): Promise<void>;
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
   * `false` when two persisters made on one storage in one process cannot
   * hear each other's writes (Web Storage: the `storage` event reaches only
   * other windows). The two-persister case is then not run. Added optional field.
   */
  persistersHearEachOther?: boolean;
};
