// The persister core. Backends only read, write, listen and say "conflict";
// order, coalescing, echoes, retries, validation and errors live here.
//
// Every public method takes its place in one serial queue at the moment it is
// called. What the persister knows about storage is one of four states:
//
// | storage      | meaning                              | autosave         | save()                 |
// |--------------|--------------------------------------|------------------|------------------------|
// | `unread`     | never read                           | reads first      | reads first, merges    |
// | `known`      | storage = store minus pending        | writes pending   | writes the whole store |
// | `stale`      | another writer wrote since (conflict)| reads first      | reads first            |
// | `unreadable` | the last read failed                 | reads first, with backoff | reads first            |
//
// | event                    | storage becomes                                   |
// |--------------------------|---------------------------------------------------|
// | read: content            | `known`, pending local changes rebased on top     |
// | read: nothing persisted  | `known`, the whole store pending (initial applied)|
// | read failed / garbage    | `unreadable` (`known` + whole store pending when the backend keeps unreadable data aside) |
// | write succeeded          | `known`, what it wrote no longer pending          |
// | write: conflict          | `stale`, then read, rebase and write again        |
// | write failed             | unchanged; pending kept, retried with backoff     |
// | news: content / changes  | as a read / applied (re-read unless `known`)      |
//
// Pending local changes are ids with the number of the change that last
// touched them (pending-changes.ts). Storage news waits for the user's open
// transaction to finish (transaction-gate.ts), and so do saves.
//
// Stored data the store's schema refuses is kept (rejected-data.ts): every save
// writes it back, until the app writes or deletes that place. Stored data of an
// older `version` is migrated on load and then saved whole; data of a newer one
// counts as unreadable (content-version.ts).
//
// | kept refused data: event                   | what happens                                  |
// |--------------------------------------------|-----------------------------------------------|
// | storage's cell or value refused on apply   | kept (told once), the store's stale one goes  |
// | storage read again / its changes heard     | kept entries storage no longer says are dropped, |
// |                                            | except the app's own unsaved ones             |
// | a schema set on the store drops data       | kept (pending too if never saved)             |
// | the app writes that place / empties the row| dropped (deleted in storage with the row)     |
// | full save / incremental save               | written back / never deleted                  |
//
// | version: event                 | then                                                      |
// |--------------------------------|-----------------------------------------------------------|
// | read older data                | migrated, `storageVersion` < app's: next save is full     |
// | read newer data, or migrate fails | unreadable, `blockedByVersion`: no timed re-reads, told once |
// | full save succeeded            | `storageVersion` = app's                                  |
import type {Changes, Content, Id, Store, Tables, Values} from '@x/store';
import {createAutoSaveTimers} from './autosave-timers';
import {isConflictError} from './conflict-error';
import {checkVersionOption, toAppVersion, versionOf, withVersion} from './content-version';
import {type InitialContent, toInitialContent} from './initial-content';
import {PendingChanges, restoreSnapshot} from './pending-changes';
import {createRefusalWatch} from './refusal-watch';
import {keptContent, overlayChanges, overlayContent} from './rejected-data';
import {createErrorReporter} from './report-error';
import {changesView, contentView, type StorageView, sameCell, UNKNOWN} from './storage-view';
import {createTaskQueue} from './task-queue';
import {type PersisterExtra, type PersistsKind, readTrailingArguments} from './tinybase-arguments';
import {createTransactionGate} from './transaction-gate';
import type {
  AddPersisterListener,
  DelPersisterListener,
  GetPersisted,
  InitialTables,
  LegacyContent,
  OnIgnoredError,
  PersistedContent,
  Persister,
  PersisterOptions,
  PersisterStatus,
  SaveOptions,
  SetPersisted,
  StatusListener,
} from './types';
import {validateChanges, validateContent, validatePersisted} from './validate-content';

/** How many times a save answered by PersisterConflictError reloads and tries again. */
export const MAX_CONFLICT_ATTEMPTS = 5;

type StorageState = 'unread' | 'known' | 'stale' | 'unreadable';
// `retry`: an autosave after a backoff delay, the only automatic one that reads unreadable storage.
type SaveMode = 'auto' | 'retry' | 'explicit' | 'overwrite';
type WriteOutcome = 'saved' | 'failed' | 'conflict';

/**
 * Creates a persister from four functions that read, write and listen to a
 * storage. The persister runs loads and saves one at a time in call order,
 * coalesces autosaves, ignores its own echoes, keeps unsaved local changes
 * across loads, never writes automatically over storage it could not read,
 * retries with backoff, validates what it reads and reports every error to
 * `onIgnoredError` (else `console.error`).
 *
 * @example
 * ```ts
 * let json: string | undefined;
 * const persister = createCustomPersister(
 *   store,
 *   async () => (json === undefined ? undefined : JSON.parse(json)),
 *   async (getContent) => {
 *     json = JSON.stringify(getContent());
 *   },
 *   (listener) => setInterval(listener, 1000),
 *   (interval) => clearInterval(interval),
 * );
 * await persister.startAutoPersisting({pets: {fido: {species: 'dog'}}});
 * ```
 *
 * The seventh argument is `options`, or, in TinyBase 10's form, `persist`
 * followed by `extra` and then `options` (see the overload below).
 */
export function createCustomPersister<Handle>(
  store: Store,
  getPersisted: GetPersisted,
  setPersisted: SetPersisted,
  addPersisterListener: AddPersisterListener<Handle>,
  delPersisterListener: DelPersisterListener<Handle>,
  onIgnoredError?: OnIgnoredError,
  options?: PersisterOptions,
): Persister;
/**
 * TinyBase 10's form: `persist` (`Persists`: `1` or `3`; there is no
 * MergeableStore) and `extra`, members added to the persister (its `destroy`
 * is called by `persister.destroy()` once everything has stopped). Our
 * options come ninth.
 *
 * @example
 * ```ts
 * const persister = createCustomPersister(store, get, set, add, del, console.warn, Persists.StoreOnly, {
 *   getFoo: () => 'foo',
 * }, {saveDelayMs: 100});
 * persister.getFoo(); // -> 'foo'
 * ```
 */
export function createCustomPersister<Handle, Extra extends PersisterExtra = Record<never, never>>(
  store: Store,
  getPersisted: GetPersisted,
  setPersisted: SetPersisted,
  addPersisterListener: AddPersisterListener<Handle>,
  delPersisterListener: DelPersisterListener<Handle>,
  onIgnoredError: OnIgnoredError | undefined,
  persist: PersistsKind | undefined,
  extra?: Extra,
  options?: PersisterOptions,
): Persister & Omit<Extra, 'destroy'>;
export function createCustomPersister<Handle>(
  store: Store,
  getPersisted: GetPersisted,
  setPersisted: SetPersisted,
  addPersisterListener: AddPersisterListener<Handle>,
  delPersisterListener: DelPersisterListener<Handle>,
  onIgnoredError?: OnIgnoredError,
  optionsOrPersist?: PersisterOptions | PersistsKind,
  extraArgument?: PersisterExtra,
  optionsArgument?: PersisterOptions,
): Persister {
  const {options, extra} = readTrailingArguments(optionsOrPersist, extraArgument, optionsArgument);
  const appVersion = checkVersionOption(options.version);
  const {migrate} = options;
  if (migrate !== undefined && typeof migrate !== 'function')
    throw new TypeError(`options.migrate must be a function, got ${typeof migrate}`);
  const report = createErrorReporter(onIgnoredError);
  const queue = createTaskQueue(report);
  const stats = {loads: 0, saves: 0};
  const statusListeners = new Map<Id, StatusListener>();
  let nextStatusListenerId = 0;
  let status: PersisterStatus = 0;

  let storage: StorageState = 'unread';
  // The version of the data storage holds, once read (it differs from appVersion after a migration, until saved).
  let storageVersion = appVersion;
  // The last read found data newer than the app, or data its migration failed on.
  let blockedByVersion = false;
  let versionErrorTold: string | undefined;
  const pending = new PendingChanges();
  // Number of the latest local change (pending ids carry the one that touched them last).
  let lastChange = 0;
  // Set while the persister writes storage's data into the store.
  let applying: StorageView | undefined;
  // getPersisted calls started and finished, setPersisted calls started; one write in flight?
  let readsStarted = 0;
  let readsFinished = 0;
  let writes = 0;
  let writing = false;
  let heardWhileWriting = false;

  let autoSaving = false;
  let autoSaveQueued = false;
  let autoLoading = false;
  // Bumped by every start and stop of autoload: news from an older listener is ignored.
  let listenerGeneration = 0;
  let listenerHandle: {handle: Handle} | undefined;
  let rereadQueued = false;
  let destroying: Promise<Persister> | undefined;

  const gate = createTransactionGate(store, () => applying !== undefined);
  // Storage's data the schema refused, and data a schema set on the store dropped: kept.
  const refusals = createRefusalWatch(store, {
    applying: () => applying,
    isPendingCell: (tableId, rowId, cellId) => pending.hasCell(tableId, rowId, cellId),
    isPendingValue: (valueId) => pending.hasValue(valueId),
    isWhole: () => pending.isWhole(),
    isUnread: () => storage === 'unread',
    report: (error) => report(error),
  });
  const timers = createAutoSaveTimers(
    options,
    () => queueAutoSave(),
    () => void queue.add(() => save('retry')),
  );

  const setStatus = (next: PersisterStatus): void => {
    if (next === status) return;
    status = next;
    for (const listener of [...statusListeners.values()]) {
      try {
        listener(persister, next);
      } catch (error) {
        report(error);
      }
    }
  };

  // --- writing storage's data into the store ---------------------------------

  /**
   * Applies storage's data in one transaction of the persister's own, with the
   * pending local changes put back on top (they stay pending and get saved).
   * A store listener that throws is reported; the state still moves on.
   */
  const applyToStore = (
    apply: (store: Store) => void,
    view: StorageView,
    replaces: 'content' | 'tables' | 'changes',
    heard?: Changes,
  ): void => {
    const snapshot = pending.isEmpty() ? undefined : pending.snapshot(store);
    refusals.beginApply(snapshot?.whole, heard);
    applying = view;
    try {
      store.transaction(() => {
        apply(store);
        if (snapshot) restoreSnapshot(store, snapshot);
      });
      refusals.removeStale(view, replaces);
    } catch (error) {
      report(error);
    } finally {
      applying = undefined;
      refusals.endApply();
    }
    if (snapshot?.whole) pending.spreadWhole(snapshot.whole, view);
  };

  /**
   * Nothing persisted: the initial content replaces the store (with pending
   * local changes on top), and all of the store becomes pending, to be saved whole.
   */
  const applyNothingPersisted = (initial: InitialContent | undefined): void => {
    // Storage holds nothing: kept data that was not the app's own is gone from it.
    refusals.forgetStored();
    pending.unclaimStore();
    if (initial) {
      let content: Content | undefined;
      try {
        content = validateContent(initial());
      } catch (error) {
        report(error);
      }
      // Its cells need no tracking one by one: the claim below covers them.
      if (content) {
        const replacement = content;
        applyToStore((store) => store.setContent(replacement), contentView(replacement), 'content');
      }
    }
    pending.claimStore(lastChange);
  };

  /**
   * Storage's content replaces the store's. `[tables]` without values (older
   * versions) replaces the tables only, as TinyBase loads it; the store's
   * values, which storage lacks, become pending.
   */
  const applyContent = (content: Content | [tables: Tables]): void => {
    if (content.length === 2) {
      applyToStore((store) => store.setContent(content), contentView(content), 'content');
      return;
    }
    const [tables] = content;
    applyToStore(
      (store) => store.setContent([tables, store.getValues()]),
      contentView([tables, {}]),
      'tables',
    );
    for (const valueId of store.getValueIds()) {
      if (!pending.hasValue(valueId)) pending.addValue(valueId, ++lastChange);
    }
  };

  // --- reading --------------------------------------------------------------

  /** A read that failed: writes wait for a good read, unless the backend keeps bad data aside. */
  const readFailed = (error: unknown, invalidContent: boolean, quietly = false): boolean => {
    if (!quietly) report(error);
    const {keepsUnreadableAside} = options;
    if (keepsUnreadableAside && (invalidContent || keepsUnreadableAside(error))) {
      storage = 'known';
      pending.claimStore(lastChange);
    } else {
      storage = 'unreadable';
      if (autoSaving && !blockedByVersion) timers.retryLater();
    }
    // Saves may go on only where the backend keeps the unreadable data aside.
    return storage === 'known';
  };

  /**
   * Reads storage and applies it, rebasing pending local changes. True when a
   * save may now write (storage was read, or its unreadable data is kept aside).
   */
  const load = async (initial?: InitialContent): Promise<boolean> => {
    const hadLocalChanges = !pending.isEmpty() && !pending.isWhole();
    blockedByVersion = false;
    setStatus(1);
    let persisted: unknown;
    try {
      stats.loads++;
      readsStarted++;
      persisted = await getPersisted();
    } catch (error) {
      return readFailed(error, false);
    } finally {
      readsFinished++;
      setStatus(0);
    }
    let stored: PersistedContent | [tables: Tables] | undefined;
    if (persisted !== undefined && persisted !== null) {
      try {
        stored = validatePersisted(persisted);
      } catch (error) {
        return readFailed(error, true);
      }
    }
    let content: Content | [tables: Tables] | undefined;
    if (stored) {
      try {
        content = await toAppVersion(stored, appVersion, migrate);
      } catch (error) {
        // Newer data, or a migration that failed: valid data, never kept aside or written
        // over, and reading it again on a timer would not change it (news or a call will).
        blockedByVersion = true;
        // Every change heard makes it read again: the same error is told once.
        const message = String(error);
        const told = message === versionErrorTold;
        versionErrorTold = message;
        return readFailed(error, false, told);
      }
    }
    versionErrorTold = undefined;
    while (gate.isOpen()) await gate.nextClose();
    timers.succeeded();
    const wasUnread = storage === 'unread';
    if (content) applyContent(content);
    else applyNothingPersisted(initial);
    storage = 'known';
    // Migrated: the next save is a full one, with the new version (until then the store
    // is storage's data migrated, so news from storage is read and migrated again).
    storageVersion = stored ? versionOf(stored) : appVersion;
    // Storage emptied by someone else: the store stays, and the next save is whole,
    // but loading does not save by itself (unless there are local changes to save).
    if (
      autoSaving &&
      (storageVersion !== appVersion ||
        (!pending.isEmpty() && (content || wasUnread || hadLocalChanges)))
    )
      queueAutoSave();
    return true;
  };

  // --- hearing from storage -------------------------------------------------

  const queueReread = (): void => {
    if (rereadQueued || destroying) return;
    rereadQueued = true;
    void queue.add(async () => {
      rereadQueued = false;
      await load();
    });
  };

  /** News with data, in its turn in the queue, once no user transaction is open. */
  const applyNews = async (content: unknown, changes: unknown): Promise<void> => {
    let valid: PersistedContent | [tables: Tables] | Changes;
    try {
      valid = content !== undefined ? validatePersisted(content) : validateChanges(changes);
    } catch (error) {
      // Storage says it holds something unreadable: as after a failed read.
      readFailed(error, true);
      return;
    }
    if (
      content === undefined
        ? storage !== 'known' || storageVersion !== appVersion
        : versionOf(valid as PersistedContent) !== appVersion
    ) {
      // Changes to storage this persister does not know (or holds in an older shape)
      // cannot be applied, nor content of another version: read it all.
      await load();
      return;
    }
    while (gate.isOpen()) await gate.nextClose();
    if (content !== undefined) {
      const [tables, values] = valid as PersistedContent;
      applyContent(values === undefined ? [tables] : [tables, values]);
      storage = 'known';
    } else {
      const heard = valid as Changes;
      applyToStore((store) => store.applyChanges(heard), changesView(heard), 'changes', heard);
    }
    if (autoSaving && !pending.isEmpty()) queueAutoSave();
  };

  const listenerFor =
    (generation: number) =>
    (content?: PersistedContent | LegacyContent, changes?: Changes): void => {
      if (generation !== listenerGeneration) return;
      // As in TinyBase, content or changes heard from storage count as a load.
      if (content !== undefined || changes !== undefined) stats.loads++;
      if (writing) {
        // Heard during our own write: maybe our echo, maybe older than what we
        // wrote. Only a read after the write tells.
        heardWhileWriting = true;
      } else if (content === undefined && changes === undefined) {
        queueReread();
      } else {
        const writesAtArrival = writes;
        const readsAtArrival = readsStarted;
        const readingAtArrival = readsStarted !== readsFinished;
        void queue.add(async () => {
          // A read that started later knows better (even if it failed: then storage is unreadable).
          if (readsStarted !== readsAtArrival) return;
          // Our own write since, or a read running when it arrived: which is newer? Read again.
          if (writes !== writesAtArrival || readingAtArrival) await load();
          else await applyNews(content, changes);
        });
      }
    };

  // --- saving ---------------------------------------------------------------

  /** What a full save writes: the store's content, the kept refused data, the version. */
  const toPersisted = (content: Content): PersistedContent =>
    withVersion(overlayContent(refusals.kept, content), appVersion);

  /** Call outside user transactions: what it writes is read from the store at once (or by `getContent`). */
  const write = async (full: boolean): Promise<WriteOutcome> => {
    const changes = full ? undefined : overlayChanges(refusals.kept, pending.toChanges(store));
    const content = full ? toPersisted(store.getContent()) : undefined;
    // A backend that reads the whole store late may read a user transaction still open.
    let readInTransaction = false;
    const getContent = (): PersistedContent => {
      if (content) return content;
      readInTransaction ||= gate.isOpen();
      return toPersisted(store.getContent());
    };
    setStatus(2);
    stats.saves++;
    writes++;
    writing = true;
    try {
      await setPersisted(getContent, changes);
      // What it wrote may be rolled back: write the whole store again next time.
      if (readInTransaction) pending.claimStore(lastChange + 1);
      return 'saved';
    } catch (error) {
      if (isConflictError(error)) return 'conflict';
      report(error);
      return 'failed';
    } finally {
      writing = false;
      setStatus(0);
      if (heardWhileWriting) {
        heardWhileWriting = false;
        queueReread();
      }
    }
  };

  const isAutomatic = (mode: SaveMode): boolean => mode === 'auto' || mode === 'retry';

  /** Whether storage must be read before this save may write. */
  const mustReadFirst = (mode: SaveMode): boolean =>
    storage === 'stale' || (storage !== 'known' && mode !== 'overwrite');

  /** A save, in its turn in the queue. */
  const save = async (mode: SaveMode): Promise<void> => {
    if (
      mode === 'auto' &&
      storage === 'unreadable' &&
      (options.retry !== false || blockedByVersion)
    ) {
      // Unreadable storage is read again by the backoff's retries, not by every local
      // change; storage of another version only when news or a call says so.
      if (autoSaving && !blockedByVersion) timers.retryLater();
      return;
    }
    while (gate.isOpen()) await gate.nextClose();
    if (storage === 'unread' || mode === 'overwrite') {
      // The store is all the user has told us: every bit of it is theirs to save.
      pending.claimStore(lastChange);
    }
    for (let attempt = 1; ; attempt++) {
      if (mustReadFirst(mode) && !(await load())) {
        if (!isAutomatic(mode))
          report(
            new Error(
              'Not saved: storage could not be read, and a save never replaces what it could not read. ' +
                'Call save({overwrite: true}) to replace it on purpose.',
            ),
          );
        return;
      }
      while (gate.isOpen()) await gate.nextClose();
      const full = !isAutomatic(mode) || pending.isWhole() || storageVersion !== appVersion;
      if (!full && pending.isEmpty()) return;
      const upTo = lastChange;
      const outcome = await write(full);
      if (outcome === 'saved') {
        pending.clearUpTo(upTo);
        if (full) storageVersion = appVersion;
        if (pending.isWhole() && autoSaving) queueAutoSave();
        storage = 'known';
        timers.succeeded();
        return;
      }
      if (outcome === 'failed') {
        if (autoSaving) timers.retryLater();
        return;
      }
      storage = 'stale';
      if (attempt >= MAX_CONFLICT_ATTEMPTS) {
        report(
          new Error(
            `Storage kept changing under this persister: gave up saving after ${attempt} conflicts; the changes stay pending`,
          ),
        );
        if (autoSaving) timers.retryLater();
        return;
      }
      // Read, rebase and write again: a full save only if the user asked for one.
      if (mode === 'overwrite') mode = 'explicit';
    }
  };

  const queueAutoSave = (): void => {
    if (autoSaveQueued) return;
    autoSaveQueued = true;
    void queue.add(async () => {
      autoSaveQueued = false;
      await save('auto');
    });
  };

  // --- local changes ----------------------------------------------------------

  /** While applying storage's data, only what a user's listener wrote on top is local. */
  const isLocal = (held: unknown, isPending: boolean, now: unknown): boolean =>
    applying === undefined || (!isPending && (held === UNKNOWN || !sameCell(held, now)));

  let sawLocalChange = false;
  const markLocalCell = (tableId: Id, rowId: Id, cellId: Id): void => {
    pending.addCell(tableId, rowId, cellId, ++lastChange);
    sawLocalChange = true;
  };
  const markLocalValue = (valueId: Id): void => {
    pending.addValue(valueId, ++lastChange);
    sawLocalChange = true;
  };

  const cellListenerId = store.addCellListener(
    null,
    null,
    null,
    (_, tableId, rowId, cellId, cell, oldCell) => {
      if (applying) {
        // The schema refused storage's cell (a default may stand in for it): not a local change.
        if (refusals.isKeptCell(tableId, rowId, cellId)) return;
        if (
          isLocal(
            applying.cell(tableId, rowId, cellId),
            pending.hasCell(tableId, rowId, cellId),
            cell,
          )
        )
          markLocalCell(tableId, rowId, cellId);
        return;
      }
      const drop = refusals.dropOfCell(tableId, rowId, cellId, cell, oldCell);
      if (drop === 'keptUnsaved') markLocalCell(tableId, rowId, cellId);
      if (drop) return;
      markLocalCell(tableId, rowId, cellId);
      // The row the app deleted takes its kept cells along: deleted in storage too.
      for (const goneCellId of refusals.localCellWrite(tableId, rowId, cellId))
        markLocalCell(tableId, rowId, goneCellId);
    },
  );
  const valueListenerId = store.addValueListener(null, (_, valueId, value, oldValue) => {
    if (applying) {
      if (refusals.isKeptValue(valueId)) return;
      if (isLocal(applying.value(valueId), pending.hasValue(valueId), value))
        markLocalValue(valueId);
      return;
    }
    const drop = refusals.dropOfValue(valueId, value, oldValue);
    if (drop === 'keptUnsaved') markLocalValue(valueId);
    if (drop) return;
    refusals.localValueWrite(valueId);
    markLocalValue(valueId);
  });
  const transactionListenerId = store.addDidFinishTransactionListener(() => {
    refusals.finishTransaction();
    if (!sawLocalChange) return;
    sawLocalChange = false;
    if (autoSaving && !destroying) timers.request();
  });

  // --- the public object ----------------------------------------------------

  /** Runs `task` in the queue, in its turn; resolves to the persister. */
  const inTurn = (task: () => unknown): Promise<Persister> => {
    if (destroying) return Promise.resolve(persister);
    return queue.add(task).then(() => persister);
  };

  const startAutoLoad = (initial: InitialContent | undefined): Promise<Persister> => {
    if (!destroying && !autoLoading) {
      autoLoading = true;
      const generation = ++listenerGeneration;
      void inTurn(async () => {
        if (generation !== listenerGeneration) return;
        try {
          const handle = await addPersisterListener(listenerFor(generation));
          if (generation === listenerGeneration) listenerHandle = {handle};
          else await delPersisterListener(handle);
        } catch (error) {
          if (generation === listenerGeneration) autoLoading = false;
          report(error);
        }
      });
    }
    return inTurn(() => load(initial));
  };

  const stopAutoLoad = (): Promise<Persister> => {
    autoLoading = false;
    listenerGeneration++;
    return inTurn(async () => {
      const held = listenerHandle;
      listenerHandle = undefined;
      if (held) await delPersisterListener(held.handle);
    });
  };

  const startAutoSave = (): Promise<Persister> => {
    if (destroying) return Promise.resolve(persister);
    autoSaving = true;
    return inTurn(() => save('auto'));
  };

  const stopAutoSave = (): Promise<Persister> => {
    // Changes made while autosave was on still go out: a debounced save is queued now.
    timers.flush();
    autoSaving = false;
    timers.clear();
    return inTurn(() => undefined);
  };

  const persister: Persister = {
    load: (initialTables?: InitialTables, initialValues?: Values) =>
      inTurn(() => load(toInitialContent(initialTables, initialValues))),

    save: (saveOptions?: SaveOptions) =>
      inTurn(() => save(saveOptions?.overwrite ? 'overwrite' : 'explicit')),

    startAutoLoad: (initialTables?: InitialTables, initialValues?: Values) =>
      startAutoLoad(toInitialContent(initialTables, initialValues)),

    stopAutoLoad,

    isAutoLoading: () => autoLoading,

    startAutoSave,

    stopAutoSave,

    isAutoSaving: () => autoSaving,

    startAutoPersisting(initialTables?: InitialTables, initialValues?: Values | boolean) {
      // TinyBase's form: (content, startSaveFirst).
      const saveFirst = initialValues === true;
      const initial = toInitialContent(
        initialTables,
        typeof initialValues === 'boolean' ? undefined : initialValues,
      );
      if (saveFirst) void startAutoSave();
      const loaded = startAutoLoad(initial);
      return saveFirst ? loaded : startAutoSave();
    },

    stopAutoPersisting: () => {
      void stopAutoLoad();
      return stopAutoSave();
    },

    getStatus: () => status,

    addStatusListener(listener: StatusListener) {
      const id = String(nextStatusListenerId++);
      statusListeners.set(id, listener);
      return id;
    },

    delListener(listenerId: Id) {
      statusListeners.delete(listenerId);
      return persister;
    },

    schedule: async (...actions: (() => Promise<unknown>)[]) => {
      await Promise.all(actions.map((action) => inTurn(action)));
      return persister;
    },

    getStats: () => ({...stats}),

    getRejected: () => keptContent(refusals.kept),

    getStore: () => store,

    destroy() {
      if (!destroying) {
        const wasAutoSaving = autoSaving;
        void stopAutoLoad();
        if (autoSaving) {
          timers.flush();
          queueAutoSave();
        }
        autoSaving = false;
        timers.clear();
        destroying = queue
          .add(() => {
            if (wasAutoSaving && !pending.isEmpty())
              report(
                new Error(
                  'Destroyed with local changes that could not be saved (storage could not be read or written)',
                ),
              );
          })
          .then(() => {
            gate.close();
            refusals.stop();
            store
              .delListener(cellListenerId)
              .delListener(valueListenerId)
              .delListener(transactionListenerId);
            statusListeners.clear();
          })
          .then(async () => {
            try {
              await extra?.destroy?.();
            } catch (error) {
              report(error);
            }
            return persister;
          });
      }
      return destroying;
    },
  };
  if (extra) {
    // As in TinyBase: extra members are added (and win over ours), but not `destroy`.
    const {destroy: _, ...members} = extra;
    Object.assign(persister, members);
  }
  return persister;
}
