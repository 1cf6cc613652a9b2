// The public types of @x/persister (SPEC.md §3). Backends code against these.
import type {Changes, Content, Id, Row, Store, Tables, Values} from '@x/store';

/** `0` idle, `1` loading, `2` saving. */
export type PersisterStatus = 0 | 1 | 2;

/**
 * What a backend's listener tells the persister: nothing ("re-read with
 * getPersisted"), `content` (replace), or `changes` (merge).
 */
export type PersisterListener = (content?: Content, changes?: Changes) => void;

export type GetPersisted = () => Promise<Content | undefined | null>;
/** `changes` is given for an incremental save, `undefined` for a full one. */
export type SetPersisted = (getContent: () => Content, changes?: Changes) => Promise<void>;
export type AddPersisterListener<Handle> = (
  listener: PersisterListener,
) => Handle | Promise<Handle>;
export type DelPersisterListener<Handle> = (handle: Handle) => void | Promise<void>;
export type OnIgnoredError = (error: unknown) => void;

/**
 * Initial content, applied only when nothing is persisted: `(tables, values)`
 * as in the seeds, one `Content` tuple, or a function returning one.
 */
export type InitialTables = Tables | Content | (() => Content);

export type PersisterStats = {loads: number; saves: number};

export type StatusListener = (persister: Persister, status: PersisterStatus) => void;

/** Backoff of autosave retries after a failed save: exponential with jitter. */
export type RetryOptions = {
  /** Delay before the first retry (default 250 ms); doubles with each failure. */
  initialDelayMs?: number;
  /** Upper bound of the delay between retries (default 30,000 ms). */
  maxDelayMs?: number;
};

export type PersisterOptions = {
  /**
   * Debounce autosaves: a save goes out once no transaction happened for this
   * long, and at the latest `maxSaveDelayMs` after the first unsaved change.
   */
  saveDelayMs?: number;
  /** Longest wait of a debounced autosave (default 4 x `saveDelayMs`). Added optional field. */
  maxSaveDelayMs?: number;
  /** Retries of failed autosaves; `false` turns them off. */
  retry?: RetryOptions | false;
};

/** A persister: loads a store from, and saves it to, one storage. */
export interface Persister {
  load(initialTables?: InitialTables, initialValues?: Values): Promise<this>;
  save(): Promise<this>;
  startAutoLoad(initialTables?: InitialTables, initialValues?: Values): Promise<this>;
  stopAutoLoad(): this;
  isAutoLoading(): boolean;
  startAutoSave(): Promise<this>;
  stopAutoSave(): this;
  isAutoSaving(): boolean;
  startAutoPersisting(initialTables?: InitialTables, initialValues?: Values): Promise<this>;
  stopAutoPersisting(): this;
  getStatus(): PersisterStatus;
  addStatusListener(listener: StatusListener): Id;
  delListener(listenerId: Id): this;
  /** Runs the actions one after another in the persister's queue. */
  schedule(...actions: (() => Promise<unknown>)[]): Promise<this>;
  getStats(): PersisterStats;
  getStore(): Store;
  /** Stops everything, after persisting what changed before the call. */
  destroy(): Promise<this>;
}

/** Row-level storage for createIncrementalPersister (SPEC.md §3). */
export type IncrementalStorage<Handle = unknown> = {
  getPersisted(): Promise<Content | undefined | null>;
  putRows(tableId: Id, rows: {[rowId: string]: Row}): Promise<void>;
  delRows(tableId: Id, rowIds: Id[]): Promise<void>;
  delTable(tableId: Id): Promise<void>;
  putValues(values: Values): Promise<void>;
  delValues(valueIds: Id[]): Promise<void>;
  clear(): Promise<void>;
  addPersisterListener?: AddPersisterListener<Handle>;
  delPersisterListener?: DelPersisterListener<Handle>;
};
