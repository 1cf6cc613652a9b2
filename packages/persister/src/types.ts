// The public types of @x/persister (SPEC.md §3). Backends code against these.
import type {Changes, Content, Id, Row, Store, Tables, Values} from '@x/store';

/** `0` idle, `1` loading, `2` saving. */
export type PersisterStatus = 0 | 1 | 2;

/**
 * What a backend's listener tells the persister: nothing ("re-read with
 * getPersisted"), `content` (replace), or `changes` (merge).
 */
export type PersisterListener = (
  content?: PersistedContent | LegacyContent,
  changes?: Changes,
) => void;

/**
 * Content as older versions stored it: `[tables]` without values. It loads
 * like `[tables, values]` except that the store's values stay (and are
 * saved), as TinyBase loads it.
 */
export type LegacyContent = [tables: Tables];

/** What a persister created with `{version}` stores beside its content. */
export type ContentMeta = {
  /** The version of the data's shape: a non-negative integer (no meta at all means 0). */
  version: number;
};

/**
 * Content with the version of its shape, as a persister created with
 * `{version: n}` (n ≥ 1) stores it: a third element that a reader without
 * versions refuses rather than mistakes for unversioned content.
 */
export type VersionedContent = [tables: Tables, values: Values, meta: ContentMeta];

/**
 * What a backend stores: `[tables, values]`, exactly, when the persister has
 * no `version` (or version 0), else {@link VersionedContent}. A backend
 * stores and returns the third element as it is.
 */
export type PersistedContent = Content | VersionedContent;

/**
 * Brings content stored at `fromVersion` to the shape of the persister's
 * `version` (all the steps in between). Throw, or return invalid content, and
 * nothing is loaded or written: the error is reported and saves wait.
 *
 * @example
 * ```ts
 * const migrate: Migrate = ([tables, values], fromVersion) =>
 *   fromVersion < 2 ? [{...tables, animals: tables.pets ?? {}}, values] : [tables, values];
 * ```
 */
export type Migrate = (content: Content, fromVersion: number) => Content | Promise<Content>;

/**
 * A backend's read: what storage holds, as parsed (`undefined` or `null`: nothing
 * persisted). The persister validates it. Throw when storage cannot be read.
 *
 * @example
 * ```ts
 * const getPersisted: GetPersisted = async () => JSON.parse(localStorage.getItem('pets') ?? 'null');
 * ```
 */
export type GetPersisted = () => Promise<PersistedContent | LegacyContent | undefined | null>;
/**
 * A backend's write: store `getContent()` (or, when `changes` is given, at least
 * those changes). With a persister `version`, `getContent()` returns
 * {@link VersionedContent}: store its third element too. `changes` is given for an incremental save, `undefined` for a
 * full one. Throw on failure, or a {@link PersisterConflictError} when storage
 * holds a version this persister has not seen. What the promise resolves to is ignored.
 *
 * @example
 * ```ts
 * const setPersisted: SetPersisted = async (getContent) =>
 *   localStorage.setItem('pets', JSON.stringify(getContent()));
 * ```
 */
export type SetPersisted = (
  getContent: () => PersistedContent,
  changes?: Changes,
) => Promise<unknown>;
/**
 * A backend's way to hear changes made to storage by others: it calls `listener`
 * (see {@link PersisterListener}) and returns a handle for {@link DelPersisterListener}.
 *
 * @example
 * ```ts
 * const addPersisterListener: AddPersisterListener<ReturnType<typeof setInterval>> = (listener) =>
 *   setInterval(listener, 1000); // "re-read" every second
 * ```
 */
export type AddPersisterListener<Handle> = (
  listener: PersisterListener,
) => Handle | Promise<Handle>;
/**
 * Stops what {@link AddPersisterListener} started, given its handle.
 *
 * @example
 * ```ts
 * const delPersisterListener: DelPersisterListener<ReturnType<typeof setInterval>> = (interval) =>
 *   clearInterval(interval);
 * ```
 */
export type DelPersisterListener<Handle> = (handle: Handle) => void | Promise<void>;
/**
 * Where a persister reports every error (a failed read or write, invalid data);
 * `console.error` when none is given. Persister methods never reject.
 *
 * @example
 * ```ts
 * const onIgnoredError: OnIgnoredError = (error) => showBanner(String(error));
 * ```
 */
export type OnIgnoredError = (error: unknown) => void;

/**
 * Initial content, applied only when nothing is persisted: `(tables, values)`
 * as in the seeds, one `Content` tuple, or a function returning one.
 */
export type InitialTables = Tables | Content | (() => Content);

/** What {@link Persister.getStats} returns. */
export type PersisterStats = {
  /** Calls to the backend's read so far, failed ones included. */
  loads: number;
  /** Calls to the backend's write so far, failed ones included. */
  saves: number;
};

/** Called by {@link Persister.addStatusListener} on every status change. */
export type StatusListener = (persister: Persister, status: PersisterStatus) => void;

/** Backoff of autosave retries after a failed save: exponential with jitter. */
export type RetryOptions = {
  /** Delay before the first retry (default 250 ms); doubles with each failure. */
  initialDelayMs?: number;
  /** Upper bound of the delay between retries (default 30,000 ms). */
  maxDelayMs?: number;
};

/**
 * Tuning of a persister's autosave, the last argument of every `create*Persister`.
 *
 * @example
 * ```ts
 * createCustomPersister(store, get, set, add, del, onIgnoredError, {saveDelayMs: 100, retry: false});
 * ```
 */
export type PersisterOptions = {
  /**
   * Debounce autosaves: a save goes out once no transaction happened for this
   * long, and at the latest `maxSaveDelayMs` after the first unsaved change.
   */
  saveDelayMs?: number;
  /** Longest wait of a debounced autosave (default 4 x `saveDelayMs`). Added optional field. */
  maxSaveDelayMs?: number;
  /** Retries of failed autosaves and of the reads they wait for; `false` turns them off. */
  retry?: RetryOptions | false;
  /**
   * For backends that move unreadable data aside before they overwrite it (the
   * file backend keeps `<file>.corrupt-<time>`): tells whether an error thrown
   * by `getPersisted` means the stored data is unreadable (content that fails
   * validation always is). After such an error saves go ahead (the backend
   * keeps the old data), instead of waiting, as they otherwise do, until
   * storage can be read.
   */
  keepsUnreadableAside?: (readError: unknown) => boolean;
  /**
   * The version of the data's shape this app writes: a non-negative integer
   * (default 0, stored as plain `[tables, values]`). Stored data of an older
   * version is migrated on load; data of a newer one is never loaded or
   * overwritten (the error is reported, saves wait).
   */
  version?: number;
  /**
   * Brings older stored data to `version` (default: the data as it is). See {@link Migrate}.
   */
  migrate?: Migrate;
};

/** Options of one `save()` call. */
export type SaveOptions = {
  /**
   * Replace storage even when it could not be read (garbage, or a read that
   * keeps failing). Without it, a save first reads storage it could not read
   * before, and writes nothing when it still cannot.
   */
  overwrite?: boolean;
};

/**
 * A persister: loads a store from, and saves it to, one storage. Loads and
 * saves run one at a time in call order; every async method resolves to the
 * persister and never rejects (errors go to `onIgnoredError`).
 *
 * @example
 * ```ts
 * await persister.startAutoPersisting({pets: {fido: {species: 'dog'}}});
 * store.setCell('pets', 'fido', 'color', 'brown'); // saved soon after
 * await persister.destroy(); // resolves once that change is stored
 * ```
 */
export interface Persister {
  /**
   * Reads storage into the store (a replace). While autosaving, local changes
   * not yet saved are put back on top. `initial` applies only when nothing is
   * persisted. Example: `await persister.load({pets: {}}, {open: true})`.
   */
  load(initialTables?: InitialTables, initialValues?: Values): Promise<this>;
  /**
   * Writes the whole store (a full save). After a failed read it reads first,
   * and writes nothing while storage cannot be read, unless `{overwrite: true}`.
   * Example: `await persister.save()`.
   */
  save(options?: SaveOptions): Promise<this>;
  /**
   * Listens to storage, then loads. Example: `await persister.startAutoLoad([{}, {open: true}])`.
   */
  startAutoLoad(initialTables?: InitialTables, initialValues?: Values): Promise<this>;
  /** Stops listening to storage. Example: `await persister.stopAutoLoad()`. */
  stopAutoLoad(): Promise<this>;
  /** Example: `persister.isAutoLoading() // -> true` */
  isAutoLoading(): boolean;
  /**
   * Saves what is not yet stored, then every later change (coalesced).
   * Example: `await persister.startAutoSave()`.
   */
  startAutoSave(): Promise<this>;
  /**
   * Stops autosaving and its retries; changes made before still go out, later
   * ones stay pending. Example: `await persister.stopAutoSave()`.
   */
  stopAutoSave(): Promise<this>;
  /** Example: `persister.isAutoSaving() // -> false` */
  isAutoSaving(): boolean;
  /**
   * startAutoLoad, then startAutoSave. TinyBase's form `(content, startSaveFirst)`
   * is accepted too. Example: `await persister.startAutoPersisting()`.
   */
  startAutoPersisting(
    initialTables?: InitialTables,
    initialValuesOrStartSaveFirst?: Values | boolean,
  ): Promise<this>;
  /** stopAutoLoad and stopAutoSave. Example: `await persister.stopAutoPersisting()`. */
  stopAutoPersisting(): Promise<this>;
  /** `0` idle, `1` loading, `2` saving. Example: `persister.getStatus() // -> 0` */
  getStatus(): PersisterStatus;
  /**
   * Calls `listener(persister, status)` on every status change.
   * Example: `const id = persister.addStatusListener((_, status) => console.log(status))`.
   */
  addStatusListener(listener: StatusListener): Id;
  /** Removes a status listener. Example: `persister.delListener(id)`. */
  delListener(listenerId: Id): this;
  /**
   * Runs the actions one after another in the persister's queue, between its
   * loads and saves. Example: `await persister.schedule(async () => migrate())`.
   */
  schedule(...actions: (() => Promise<unknown>)[]): Promise<this>;
  /**
   * getPersisted calls and content or changes heard from storage (`loads`), and
   * setPersisted calls (`saves`) so far, failed ones included. Example: `persister.getStats() // -> {loads: 1, saves: 3}`
   */
  getStats(): PersisterStats;
  /**
   * What the store's schema refused (or replaced by a default) of the data read
   * from storage, as `[tables, values]`. It stays in storage, through every save,
   * until the app writes that cell or value itself or deletes its row or table.
   * Example: `persister.getRejected() // -> [{pets: {rex: {legs: 'three'}}}, {}]`
   */
  getRejected(): Content;
  /** Example: `persister.getStore() === store // -> true` */
  getStore(): Store;
  /**
   * Stops everything, after persisting (when autosaving) what changed before
   * the call. Example: `await persister.destroy()`.
   */
  destroy(): Promise<this>;
}

/**
 * One step of an incremental save, exactly as createIncrementalPersister would
 * call the matching IncrementalStorage method. Handed over as a list to
 * `applyBatch`. Added type.
 */
export type IncrementalOperation =
  | {type: 'putRows'; tableId: Id; rows: {[rowId: string]: Row}}
  | {type: 'delRows'; tableId: Id; rowIds: Id[]}
  | {type: 'delTable'; tableId: Id}
  | {type: 'putValues'; values: Values}
  | {type: 'delValues'; valueIds: Id[]};

/**
 * Row-level storage for createIncrementalPersister (SPEC.md §3).
 *
 * Storage that other writers share (other tabs, processes, apps of another
 * `version`) must throw {@link PersisterConflictError} from a write when another
 * writer wrote since this persister last read or wrote (a version, a lock): the
 * persister then reads again, and an older app finds the newer version and stops,
 * instead of writing rows into migrated data.
 *
 * Without `replaceAll`, a full save is `clear()` then puts: NOT atomic (a crash
 * between them leaves storage empty or half-written). Without `applyBatch`, an
 * incremental save is one call per table and for values: a crash between them
 * leaves storage with part of that save.
 *
 * @example
 * ```ts
 * const storage: IncrementalStorage = {
 *   getPersisted: async () => undefined,
 *   putRows: async () => {}, delRows: async () => {}, delTable: async () => {},
 *   putValues: async () => {}, delValues: async () => {}, clear: async () => {},
 *   replaceAll: async ([tables, values]) => db.replaceEverythingInOneTransaction(tables, values),
 * };
 * ```
 */
export type IncrementalStorage<Handle = unknown> = {
  /** Reads everything stored, as {@link GetPersisted} does. */
  getPersisted(): Promise<PersistedContent | undefined | null>;
  /** Writes whole rows of one table (insert or replace). */
  putRows(tableId: Id, rows: {[rowId: string]: Row}): Promise<void>;
  /** Deletes rows of one table. */
  delRows(tableId: Id, rowIds: Id[]): Promise<void>;
  /** Deletes a whole table. */
  delTable(tableId: Id): Promise<void>;
  /** Writes values (insert or replace). */
  putValues(values: Values): Promise<void>;
  /** Deletes values. */
  delValues(valueIds: Id[]): Promise<void>;
  /** Deletes everything stored (the start of a full save without `replaceAll`). */
  clear(): Promise<void>;
  /**
   * Optional, added: replaces everything stored with `content` in one atomic
   * step (all old or all new, never empty in between, also for other readers).
   * When present, a full save calls only this, never `clear` and puts. With a
   * persister `version`, `content` has a third element to store (required then).
   */
  replaceAll?(content: PersistedContent): Promise<void>;
  /**
   * Optional, added: applies one incremental save's operations, in order, as
   * one atomic step. When present, an incremental save calls only this (once,
   * never with an empty list), never the per-table methods.
   */
  applyBatch?(operations: IncrementalOperation[]): Promise<void>;
  /** Optional: hears changes made by others, as for {@link createCustomPersister}. */
  addPersisterListener?: AddPersisterListener<Handle>;
  /** Optional: stops what `addPersisterListener` started. */
  delPersisterListener?: DelPersisterListener<Handle>;
};
