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
import type {Cell, Changes, Content, Id, Store, Tables, Values} from '@x/store';
import {createAutoSaveTimers} from './autosave-timers';
import {isConflictError} from './conflict-error';
import {checkVersionOption, toAppVersion, versionOf, withVersion} from './content-version';
import {type InitialContent, toInitialContent} from './initial-content';
import {ownOf} from './own-property';
import {PendingChanges, restoreSnapshot} from './pending-changes';
import {
  clearKept,
  copyKept,
  dropCell,
  dropChanged,
  dropRow,
  isKeptEmpty,
  type Kept,
  keepCell,
  keptCell,
  keptContent,
  newKept,
  overlayChanges,
  overlayContent,
  PersisterRejectedError,
} from './rejected-data';
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
import {isValidCell, validateChanges, validateContent, validatePersisted} from './validate-content';

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
  // Storage's data that the schema refused: kept there. Refused in the transaction now finishing: reported.
  const rejected = newKept();
  const refusedNow = newKept();
  let keptBefore: Kept | undefined;
  // While applying: the store's own content when all of it is the user's (its cells win),
  // and the places the schema refused (value ids alone).
  let wholeSnapshot: Content | undefined;
  const refusedInApply: [tableOrValueId: Id, rowId?: Id, cellId?: Id][] = [];
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
    forgetKept: (kept: Kept) => void,
    replaces: 'content' | 'tables' | 'changes',
  ): void => {
    const snapshot = pending.isEmpty() ? undefined : pending.snapshot(store);
    // What was kept before is not reported again when storage still holds it.
    keptBefore = isKeptEmpty(rejected) ? undefined : copyKept(rejected);
    forgetKept(rejected);
    applying = view;
    wholeSnapshot = snapshot?.whole;
    try {
      store.transaction(() => {
        apply(store);
        if (snapshot) restoreSnapshot(store, snapshot);
      });
      // A refused input leaves the store's previous cell in place (an invalid write is
      // ignored), and a row, table or values wholly refused leave all of theirs: storage
      // no longer holds those, so they go (or become defaults).
      if (refusedInApply.length)
        store.transaction(() => {
          for (const [tableId, rowId, cellId] of refusedInApply)
            if (cellId === undefined) store.delValue(tableId);
            else store.delCell(tableId, rowId as Id, cellId);
          if (replaces !== 'changes') sweepStale(view, replaces === 'content');
        });
    } catch (error) {
      report(error);
    } finally {
      applying = undefined;
      wholeSnapshot = undefined;
      keptBefore = undefined;
      refusedInApply.length = 0;
    }
    if (snapshot?.whole) pending.spreadWhole(snapshot.whole, view);
  };

  /** The app's own data, never saved: kept refused data there stays when storage is read again. */
  const isLocalPlace = (tableOrValueId: Id, rowId?: Id, cellId?: Id): boolean =>
    pending.isWhole() ||
    (cellId === undefined
      ? pending.hasValue(tableOrValueId)
      : pending.hasCell(tableOrValueId, rowId as Id, cellId));

  /** Deletes what the store holds and storage (replaced whole) does not, except the app's own. */
  const sweepStale = (view: StorageView, withValues: boolean): void => {
    const isStale = (stored: unknown, local: boolean, wholeHolds: boolean) =>
      stored === undefined && !local && !wholeHolds;
    const whole = wholeSnapshot && contentView(wholeSnapshot);
    for (const tableId of store.getTableIds())
      for (const rowId of store.getRowIds(tableId))
        for (const cellId of store.getCellIds(tableId, rowId))
          if (
            isStale(
              view.cell(tableId, rowId, cellId),
              pending.hasCell(tableId, rowId, cellId),
              whole?.cell(tableId, rowId, cellId) !== undefined,
            )
          )
            store.delCell(tableId, rowId, cellId);
    if (withValues)
      for (const valueId of store.getValueIds())
        if (
          isStale(
            view.value(valueId),
            pending.hasValue(valueId),
            whole?.value(valueId) !== undefined,
          )
        )
          store.delValue(valueId);
  };

  /**
   * Nothing persisted: the initial content replaces the store (with pending
   * local changes on top), and all of the store becomes pending, to be saved whole.
   */
  const applyNothingPersisted = (initial: InitialContent | undefined): void => {
    // Storage holds nothing: kept data that was not the app's own is gone from it.
    clearKept(rejected, isLocalPlace);
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
        applyToStore(
          (store) => store.setContent(replacement),
          contentView(replacement),
          (kept) => clearKept(kept, isLocalPlace),
          'content',
        );
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
      applyToStore(
        (store) => store.setContent(content),
        contentView(content),
        (kept) => clearKept(kept, isLocalPlace),
        'content',
      );
      return;
    }
    const [tables] = content;
    applyToStore(
      (store) => store.setContent([tables, store.getValues()]),
      contentView([tables, {}]),
      (kept) => clearKept(kept, isLocalPlace),
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
      applyToStore(
        (store) => store.applyChanges(heard),
        changesView(heard),
        (kept) => dropChanged(kept, heard, isLocalPlace),
        'changes',
      );
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
    withVersion(overlayContent(rejected, content), appVersion);

  /** Call outside user transactions: what it writes is read from the store at once (or by `getContent`). */
  const write = async (full: boolean): Promise<WriteOutcome> => {
    const changes = full ? undefined : overlayChanges(rejected, pending.toChanges(store));
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

  /**
   * A local write of a cell: it wins over the refused stored cell kept there. A row the
   * app deleted (or emptied: a row without cells does not exist) takes its kept cells
   * with it, deleted in storage too; other rows' kept cells stay.
   */
  const localCellWrite = (tableId: Id, rowId: Id, cellId: Id): void => {
    markLocalCell(tableId, rowId, cellId);
    if (isKeptEmpty(rejected)) return;
    dropCell(rejected, tableId, rowId, cellId);
    if (!store.hasRow(tableId, rowId))
      for (const goneCellId of dropRow(rejected, tableId, rowId))
        markLocalCell(tableId, rowId, goneCellId);
  };

  // Cells and values a schema set on the store dropped in the transaction whose listeners
  // run (read once, and only when that transaction had something refused).
  let refusedOutsideApply = false;
  let dropsNow: StorageView | undefined;
  const droppedNow = (): StorageView => {
    dropsNow ??= contentView(store.getSchemaDrops());
    return dropsNow;
  };
  /** The schema's default for a cell (`tableId`) or value (`undefined`), if it has one. */
  const schemaDefault = (json: string, tableId: Id | undefined, id: Id): unknown => {
    const schema = JSON.parse(json);
    const rules = tableId === undefined ? schema : ownOf(schema, tableId);
    return ownOf(ownOf(rules, id), 'default');
  };
  /**
   * Whether a change is a schema dropping `dropped` (to nothing or its default): kept then,
   * and pending too when it was written in this very transaction (storage lacks it).
   */
  const keepsDrop = (dropped: unknown, now: unknown, defaultOf: () => unknown): boolean =>
    dropped !== UNKNOWN &&
    dropped !== undefined &&
    (now === undefined || sameCell(now, defaultOf()));

  // Refused inputs: while applying storage's data, stored data the schema refuses (kept);
  // otherwise a user's refused write or a schema's drop, told apart by getSchemaDrops.
  const invalidCellListenerId = store.addInvalidCellListener(
    null,
    null,
    null,
    (_, tableId, rowId, cellId, inputs) => {
      if (!applying) {
        refusedOutsideApply = true;
        return;
      }
      const held = applying.cell(tableId, rowId, cellId);
      if (held === UNKNOWN || held === undefined || pending.hasCell(tableId, rowId, cellId)) return;
      if (!inputs.some((input) => sameCell(input, held))) return;
      // All of the store is the user's (storage never read): its cells win.
      if (wholeSnapshot && contentView(wholeSnapshot).cell(tableId, rowId, cellId) !== undefined)
        return;
      keepCell(rejected, tableId, rowId, cellId, held);
      keepCell(refusedNow, tableId, rowId, cellId, held);
      refusedInApply.push([tableId, rowId, cellId]);
    },
  );
  const invalidValueListenerId = store.addInvalidValueListener(null, (_, valueId, inputs) => {
    if (!applying) {
      refusedOutsideApply = true;
      return;
    }
    const held = applying.value(valueId);
    if (held === UNKNOWN || held === undefined || pending.hasValue(valueId)) return;
    if (!inputs.some((input) => sameCell(input, held))) return;
    if (wholeSnapshot && Object.hasOwn(wholeSnapshot[1], valueId)) return;
    rejected.values.set(valueId, held);
    refusedNow.values.set(valueId, held);
    refusedInApply.push([valueId]);
  });

  const cellListenerId = store.addCellListener(
    null,
    null,
    null,
    (_, tableId, rowId, cellId, cell, oldCell) => {
      if (applying) {
        // The schema refused storage's cell (a default may stand in for it): not a local change.
        if (keptCell(rejected, tableId, rowId, cellId) !== undefined) return;
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
      const dropped = refusedOutsideApply ? droppedNow().cell(tableId, rowId, cellId) : undefined;
      if (
        keepsDrop(dropped, cell, () => schemaDefault(store.getTablesSchemaJson(), tableId, cellId))
      ) {
        // A schema set on the store dropped (or defaulted) this cell: kept in storage.
        keepCell(rejected, tableId, rowId, cellId, dropped as Cell);
        keepCell(refusedNow, tableId, rowId, cellId, dropped as Cell);
        // Written in this transaction, or storage never read: storage does not have it.
        if (!sameCell(dropped, oldCell) || storage === 'unread')
          markLocalCell(tableId, rowId, cellId);
        return;
      }
      localCellWrite(tableId, rowId, cellId);
    },
  );
  const valueListenerId = store.addValueListener(null, (_, valueId, value, oldValue) => {
    if (applying) {
      if (rejected.values.has(valueId)) return;
      if (isLocal(applying.value(valueId), pending.hasValue(valueId), value))
        markLocalValue(valueId);
      return;
    }
    const dropped = refusedOutsideApply ? droppedNow().value(valueId) : undefined;
    if (
      keepsDrop(dropped, value, () =>
        schemaDefault(store.getValuesSchemaJson(), undefined, valueId),
      )
    ) {
      rejected.values.set(valueId, dropped as Cell);
      refusedNow.values.set(valueId, dropped as Cell);
      if (!sameCell(dropped, oldValue) || storage === 'unread') markLocalValue(valueId);
      return;
    }
    rejected.values.delete(valueId);
    markLocalValue(valueId);
  });
  const transactionListenerId = store.addDidFinishTransactionListener(() => {
    refusedOutsideApply = false;
    dropsNow = undefined;
    if (!isKeptEmpty(refusedNow)) {
      const refused = keptContent(refusedNow, keptBefore);
      clearKept(refusedNow);
      if (Object.keys(refused[0]).length || Object.keys(refused[1]).length)
        report(new PersisterRejectedError(refused));
    }
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

    getRejected: () => keptContent(rejected),

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
            store
              .delListener(invalidCellListenerId)
              .delListener(invalidValueListenerId)
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
