// The persister core. Backends only read, write and listen; everything about
// order, coalescing, echoes, retries, validation and errors lives here.
import type {Changes, Content, Id, Store, Values} from '@x/store';
import {isConflictError} from './conflict-error';
import {type InitialContent, toInitialContent} from './initial-content';
import {PendingChanges, restoreSnapshot} from './pending-changes';
import {createErrorReporter} from './report-error';
import {retryDelay} from './retry-delay';
import {changesView, contentView, type StorageView} from './storage-view';
import {createTaskQueue} from './task-queue';
import type {
  AddPersisterListener,
  DelPersisterListener,
  GetPersisted,
  InitialTables,
  OnIgnoredError,
  Persister,
  PersisterOptions,
  PersisterStatus,
  SetPersisted,
  StatusListener,
} from './types';
import {validateChanges, validateContent} from './validate-content';

/** How many times a save answered by PersisterConflictError reloads and tries again. */
export const MAX_CONFLICT_ATTEMPTS = 5;

type Notification = {content?: unknown; changes?: unknown};
type WriteOutcome = 'saved' | 'failed' | 'conflict';

/**
 * Creates a persister from four functions that read, write and listen to a
 * storage. The persister runs loads and saves one at a time in call order,
 * coalesces autosaves, ignores its own echoes, keeps unsaved local changes
 * across loads, retries failed autosaves, validates what it reads and reports
 * every error to `onIgnoredError` (else `console.error`).
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
 */
export const createCustomPersister = <Handle>(
  store: Store,
  getPersisted: GetPersisted,
  setPersisted: SetPersisted,
  addPersisterListener: AddPersisterListener<Handle>,
  delPersisterListener: DelPersisterListener<Handle>,
  onIgnoredError?: OnIgnoredError,
  options: PersisterOptions = {},
): Persister => {
  const report = createErrorReporter(onIgnoredError);
  const queue = createTaskQueue(report);
  const stats = {loads: 0, saves: 0};
  const statusListeners = new Map<Id, StatusListener>();
  let nextStatusListenerId = 0;
  let status: PersisterStatus = 0;

  // Local changes not yet persisted (ids; values are read from the store).
  let pending = new PendingChanges();
  // Storage is not known to equal the store minus `pending`: the next save must be full.
  let needsFullSave = true;
  // The last load could not read storage: write nothing until the user changes data.
  let lastLoadFailed = false;
  // A save met a conflict and the reload it needs failed: the next save reads first.
  let reloadBeforeSave = false;
  // Local transactions with changes so far.
  let localChanges = 0;
  // Set while the persister itself writes to the store (loads, heard changes).
  let applyingFromStorage: StorageView | undefined;

  let autoSaving = false;
  let autoSaveQueued: Promise<void> | undefined;
  let debounceTimer: ReturnType<typeof setTimeout> | undefined;
  let debounceStartedAt: number | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let retryAttempt = 0;

  let autoLoading = false;
  let listenerGeneration = 0;
  let listenerHandle: {handle: Handle} | undefined;
  let reloadQueued = false;
  // Set while setPersisted runs: what storage says meanwhile is re-read after it.
  let writing = false;
  let heardWhileWriting = false;
  // setPersisted calls so far, and their number when storage was last read.
  let writesStarted = 0;
  let readAfterWrites = -1;

  let destroying: Promise<Persister> | undefined;
  let destroyed = false;

  const getContent = (): Content => store.getContent();

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

  // --- applying what storage holds -----------------------------------------

  /**
   * Writes content or changes from storage into the store, flagged so that
   * autosave ignores it, then puts pending local changes back on top when
   * `keepLocal` (they stay pending and get saved). `view` says what storage
   * holds, so that writes of the user's own listeners during it still count.
   */
  const applyFromStorage = (
    apply: (store: Store) => void,
    keepLocal: boolean,
    view: StorageView | undefined,
  ): void => {
    const snapshot = keepLocal && !pending.isEmpty() ? pending.snapshot(store) : undefined;
    applyingFromStorage = view;
    try {
      store.transaction(() => {
        apply(store);
        if (snapshot) restoreSnapshot(store, snapshot);
      });
    } finally {
      applyingFromStorage = undefined;
    }
  };

  const applyLoadedContent = (content: Content, keepLocal: boolean): void => {
    if (!keepLocal) pending = new PendingChanges();
    applyFromStorage((store) => store.setContent(content), keepLocal, contentView(content));
    needsFullSave = false;
    lastLoadFailed = false;
  };

  /**
   * Blocks writes until the user changes data, unless they already did while
   * the failed read ran (that change is theirs to save, with a full save).
   */
  const loadFailed = (error: unknown, localChangesAtStart: number): void => {
    lastLoadFailed = localChanges === localChangesAtStart;
    needsFullSave = true;
    report(error);
  };

  /**
   * Reads storage and applies it. With `keepLocal` (autosave on), pending local
   * changes go back on top of what was read; without, the load replaces local
   * changes made before it started, but never those made while it reads.
   */
  const load = async (
    initial: InitialContent | undefined,
    keepLocal: boolean,
  ): Promise<boolean> => {
    const replaced = keepLocal ? undefined : pending;
    if (replaced) pending = new PendingChanges();
    // When the load does not replace the store, the local changes it would have replaced still count.
    const keepReplaced = () => {
      if (replaced) {
        replaced.merge(pending);
        pending = replaced;
      }
    };
    const localChangesAtStart = localChanges;
    setStatus(1);
    try {
      stats.loads++;
      let persisted: unknown;
      try {
        readAfterWrites = writesStarted;
        persisted = await getPersisted();
      } catch (error) {
        keepReplaced();
        loadFailed(error, localChangesAtStart);
        return false;
      }
      if (persisted === undefined || persisted === null) {
        // Nothing persisted: storage does not hold the store, so the next save is full.
        needsFullSave = true;
        lastLoadFailed = false;
        // Initial content replaces what the load would have replaced, and no more.
        if (initial) applyInitial(initial, true);
        keepReplaced();
        return true;
      }
      let content: Content;
      try {
        content = validateContent(persisted);
      } catch (error) {
        keepReplaced();
        loadFailed(error, localChangesAtStart);
        return false;
      }
      applyLoadedContent(content, true);
      // Local changes put back on top of the loaded content still have to reach storage.
      if (autoSaving && !pending.isEmpty()) void queueAutoSave();
      return true;
    } finally {
      setStatus(0);
    }
  };

  /** Initial content is local data: it is applied as a local change, so autosave saves it. */
  const applyInitial = (initial: InitialContent, keepLocal: boolean): void => {
    let content: Content;
    try {
      content = validateContent(initial());
    } catch (error) {
      report(error);
      return;
    }
    applyFromStorage((store) => store.setContent(content), keepLocal, undefined);
  };

  const queueReload = (): void => {
    if (reloadQueued || destroyed) return;
    reloadQueued = true;
    void queue.add(async () => {
      reloadQueued = false;
      await load(undefined, autoSaving);
    });
  };

  /** `localChangesAtArrival`: a local change made after the notification arrived counts as newer. */
  const handleNotification = (
    {content, changes}: Notification,
    localChangesAtArrival = localChanges,
  ): void => {
    if (content === undefined && changes === undefined) {
      queueReload();
      return;
    }
    let valid: Content | Changes;
    try {
      valid = content !== undefined ? validateContent(content) : validateChanges(changes);
    } catch (error) {
      // Storage says it holds something unreadable: as after a failed load.
      loadFailed(error, localChangesAtArrival);
      return;
    }
    try {
      if (content !== undefined) applyLoadedContent(valid as Content, autoSaving);
      else {
        const heard = valid as Changes;
        applyFromStorage((store) => store.applyChanges(heard), true, changesView(heard));
      }
    } catch (error) {
      report(error);
    }
  };

  const listenerFor =
    (generation: number) =>
    (content?: Content, changes?: Changes): void => {
      if (generation !== listenerGeneration || destroyed) return;
      const notification = {content, changes};
      if (writing) {
        // Heard during our own write: maybe our echo, maybe older than what we
        // wrote. Only a read after the write tells, so read storage again then.
        heardWhileWriting = true;
      } else if (queue.isIdle()) {
        handleNotification(notification);
      } else {
        // Applied in turn; if this persister wrote meanwhile, the payload may be
        // older than storage: read storage instead (once, however many waited).
        const writesAtArrival = writesStarted;
        const localChangesAtArrival = localChanges;
        void queue.add(async () => {
          if (writesStarted === writesAtArrival)
            handleNotification(notification, localChangesAtArrival);
          else if (readAfterWrites !== writesStarted) await load(undefined, autoSaving);
        });
      }
    };

  // --- saving ---------------------------------------------------------------

  const writeOnce = async (full: boolean): Promise<WriteOutcome> => {
    const isFull = full || needsFullSave;
    const saving = pending;
    const neededFullSave = needsFullSave;
    pending = new PendingChanges();
    needsFullSave = false;
    const changes = isFull ? undefined : saving.toChanges(store);
    setStatus(2);
    let outcome: WriteOutcome = 'saved';
    try {
      stats.saves++;
      writesStarted++;
      writing = true;
      try {
        await setPersisted(getContent, changes);
        retryAttempt = 0;
        if (isFull) lastLoadFailed = false;
      } catch (error) {
        // Nothing is lost: the ids go back to pending and out with the next save.
        saving.merge(pending);
        pending = saving;
        needsFullSave = neededFullSave;
        if (isConflictError(error)) outcome = 'conflict';
        else {
          outcome = 'failed';
          report(error);
        }
      } finally {
        writing = false;
      }
      if (heardWhileWriting) {
        heardWhileWriting = false;
        queueReload();
      }
    } finally {
      setStatus(0);
    }
    return outcome;
  };

  const hasSomethingToSave = (): boolean => needsFullSave || !pending.isEmpty();

  /** A save inside the queue: `full` for save(), else only what is pending. */
  const save = async (full: boolean, automatic: boolean): Promise<void> => {
    if (automatic && !autoSaving) return;
    if (reloadBeforeSave) {
      // Only reads until storage can be read again, so nothing unread is overwritten.
      if (!(await load(undefined, true))) return scheduleRetry();
      reloadBeforeSave = false;
    }
    // After a failed load, only a user's change (or an explicit save()) may write.
    if (automatic && lastLoadFailed) return;
    if (!full && !hasSomethingToSave()) return;
    for (let attempt = 1; ; attempt++) {
      const outcome = await writeOnce(full);
      if (outcome === 'failed') return scheduleRetry();
      if (outcome === 'saved') return;
      if (attempt >= MAX_CONFLICT_ATTEMPTS) {
        report(
          new Error(
            `Storage kept changing under this persister: gave up saving after ${attempt} conflicts; the changes stay pending`,
          ),
        );
        return scheduleRetry();
      }
      if (!(await load(undefined, true))) {
        // Storage holds a newer version we could not read: read again later, then save.
        reloadBeforeSave = true;
        return scheduleRetry();
      }
      full = false;
      if (!hasSomethingToSave()) return;
    }
  };

  const queueAutoSave = (): Promise<void> => {
    if (!autoSaveQueued) {
      autoSaveQueued = queue.add(async () => {
        autoSaveQueued = undefined;
        await save(false, true);
      });
    }
    return autoSaveQueued;
  };

  const clearDebounce = (): void => {
    if (debounceTimer !== undefined) clearTimeout(debounceTimer);
    debounceTimer = undefined;
    debounceStartedAt = undefined;
  };

  const requestAutoSave = (): void => {
    const delay = options.saveDelayMs ?? 0;
    if (!(delay > 0)) {
      void queueAutoSave();
      return;
    }
    const now = Date.now();
    debounceStartedAt ??= now;
    const maxDelay = options.maxSaveDelayMs ?? delay * 4;
    if (debounceTimer !== undefined) clearTimeout(debounceTimer);
    debounceTimer = setTimeout(
      () => {
        clearDebounce();
        void queueAutoSave();
      },
      Math.max(0, Math.min(delay, debounceStartedAt + maxDelay - now)),
    );
  };

  const scheduleRetry = (): void => {
    if (!autoSaving || options.retry === false || retryTimer !== undefined || destroyed) return;
    retryTimer = setTimeout(
      () => {
        retryTimer = undefined;
        void queueAutoSave();
      },
      retryDelay(retryAttempt++, options.retry ?? {}),
    );
  };

  const clearRetry = (): void => {
    if (retryTimer !== undefined) clearTimeout(retryTimer);
    retryTimer = undefined;
    retryAttempt = 0;
  };

  // Every local change is tracked cell by cell (deleting a row's last cell is
  // then not a row deletion), so pending is right whenever autosave starts.
  let sawLocalChange = false;
  const cellListenerId = store.addCellListener(
    null,
    null,
    null,
    (_, tableId, rowId, cellId, cell) => {
      if (destroyed) return;
      // While applying storage, only what a user's listener wrote on top is local.
      const view = applyingFromStorage;
      if (
        view &&
        (pending.hasCell(tableId, rowId, cellId) || view.cell(tableId, rowId, cellId) === cell)
      )
        return;
      pending.addCell(tableId, rowId, cellId);
      sawLocalChange = true;
    },
  );
  const valueListenerId = store.addValueListener(null, (_, valueId, value) => {
    if (destroyed) return;
    const view = applyingFromStorage;
    if (view && (pending.hasValue(valueId) || view.value(valueId) === value)) return;
    pending.addValue(valueId);
    sawLocalChange = true;
  });
  const transactionListenerId = store.addDidFinishTransactionListener(() => {
    if (!sawLocalChange || destroyed) return;
    sawLocalChange = false;
    localChanges++;
    lastLoadFailed = false;
    if (autoSaving) requestAutoSave();
  });

  // --- the public object ----------------------------------------------------

  const stopAutoLoad = (): void => {
    autoLoading = false;
    listenerGeneration++;
    if (listenerHandle) {
      const {handle} = listenerHandle;
      listenerHandle = undefined;
      try {
        Promise.resolve(delPersisterListener(handle)).catch(report);
      } catch (error) {
        report(error);
      }
    }
  };

  const stopAutoSave = (): void => {
    autoSaving = false;
    clearDebounce();
    clearRetry();
  };

  const persister: Persister = {
    async load(initialTables?: InitialTables, initialValues?: Values) {
      if (destroyed) return persister;
      const initial = toInitialContent(initialTables, initialValues);
      await queue.add(() => load(initial, autoSaving));
      return persister;
    },

    async save() {
      if (destroyed) return persister;
      await queue.add(() => save(true, false));
      return persister;
    },

    async startAutoLoad(initialTables?: InitialTables, initialValues?: Values) {
      if (destroyed) return persister;
      if (!autoLoading) {
        autoLoading = true;
        const generation = ++listenerGeneration;
        try {
          const handle = await addPersisterListener(listenerFor(generation));
          if (generation === listenerGeneration) listenerHandle = {handle};
          else Promise.resolve(delPersisterListener(handle)).catch(report);
        } catch (error) {
          autoLoading = false;
          report(error);
        }
      }
      return persister.load(initialTables, initialValues);
    },

    stopAutoLoad() {
      stopAutoLoad();
      return persister;
    },

    isAutoLoading: () => autoLoading,

    async startAutoSave() {
      if (destroyed) return persister;
      autoSaving = true;
      await queueAutoSave();
      return persister;
    },

    stopAutoSave() {
      stopAutoSave();
      return persister;
    },

    isAutoSaving: () => autoSaving,

    async startAutoPersisting(initialTables?: InitialTables, initialValues?: Values) {
      await persister.startAutoLoad(initialTables, initialValues);
      return persister.startAutoSave();
    },

    stopAutoPersisting() {
      stopAutoLoad();
      stopAutoSave();
      return persister;
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

    async schedule(...actions: (() => Promise<unknown>)[]) {
      await Promise.all(actions.map((action) => queue.add(action)));
      return persister;
    },

    getStats: () => ({...stats}),

    getStore: () => store,

    destroy() {
      destroying ??= (async () => {
        stopAutoLoad();
        if (autoSaving) {
          clearDebounce();
          await queueAutoSave();
        }
        await queue.add(() => undefined);
        stopAutoSave();
        destroyed = true;
        store
          .delListener(cellListenerId)
          .delListener(valueListenerId)
          .delListener(transactionListenerId);
        statusListeners.clear();
        return persister;
      })();
      return destroying;
    },
  };
  return persister;
};
