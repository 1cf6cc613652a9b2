import {mkdir, rename, unlink} from 'node:fs/promises';
import {basename, dirname, resolve} from 'node:path';
import type {
  LegacyContent,
  OnIgnoredError,
  PersistedContent,
  Persister,
  PersisterListener,
  PersisterOptions,
} from '@x/persister';
import {createCustomPersister, createErrorReporter, PersisterConflictError} from '@x/persister';
import type {Changes, Store} from '@x/store';
import {keepAside, syncFolder, writeTempFile} from './atomicWrite';
import {
  BOM,
  FileMovedAsideError,
  InvalidStoredVersionError,
  parseContentText,
  readFileText,
  UnreadableFileError,
} from './contentFile';
import {acquireLock} from './fileLock';
import {type FileVersion, sameVersion, statVersion} from './fileVersion';
import {removeLeftovers} from './leftovers';
import {resolveTarget} from './resolveTarget';
import {type FileWatcher, watchFiles} from './watchFile';

/** A Persister for one JSON file, with the file's path. */
export type FilePersister = Persister & {
  /** The path given to createFilePersister, as given. */
  getFilePath(): string;
};

/** The core's options, plus how autoload waits for a burst of file events to settle. */
export type FilePersisterOptions = PersisterOptions & {
  /** Quiet time after the last change event before re-reading the file (default 20 ms). */
  watchDebounceMs?: number;
};

const DEFAULT_WATCH_DEBOUNCE_MS = 20;

/**
 * Creates a Persister that keeps a store in a JSON file holding `[tables, values]`.
 * Saves are atomic and durable (temporary file, fsync, rename, fsync of the folder),
 * keep the file's mode and follow symbolic links. Autoload watches the file's folder
 * and re-reads the file when another process or an editor changes it. A file that
 * cannot be read is reported and, before any save replaces it, kept as
 * `<file>.corrupt-<time>`.
 *
 * With `options.version` (n ≥ 1) the file holds `[tables, values, {version: n}]`: an
 * older file is migrated on load (`options.migrate`) and written whole; a newer one, or one
 * whose migration fails, is reported, never loaded, never moved aside and never written
 * by an automatic save.
 *
 * @example
 * ```ts
 * import {createStore} from '@x/store';
 * import {createFilePersister} from '@x/persister-file';
 *
 * const store = createStore();
 * const persister = createFilePersister(store, '/tmp/pets.json');
 * await persister.startAutoPersisting({pets: {fido: {species: 'dog'}}});
 * store.setCell('pets', 'fido', 'color', 'brown'); // written to the file shortly after
 * await persister.destroy(); // everything changed before is on disk
 * ```
 * @example
 * ```ts
 * // Version 2 calls `legs` `legCount`: files of version 0 or 1 are migrated on load.
 * const persister = createFilePersister(store, '/tmp/pets.json', console.error, {
 *   version: 2,
 *   // renameCell: the app's own helper, (tables, tableId, from, to) => tables
 *   migrate: ([tables, values]) => [renameCell(tables, 'pets', 'legs', 'legCount'), values],
 * });
 * await persister.startAutoPersisting(); // the file: [{"pets":...},{},{"version":2}]
 * ```
 */
export const createFilePersister = (
  store: Store,
  filePath: string,
  onIgnoredError?: OnIgnoredError,
  options: FilePersisterOptions = {},
): FilePersister => {
  const {watchDebounceMs = DEFAULT_WATCH_DEBOUNCE_MS, ...persisterOptions} = options;
  const report = createErrorReporter(onIgnoredError);

  // The version of the file this persister last read or wrote: a save may replace only
  // that version, and autoload ignores it (it is our own write, or already loaded).
  let known: FileVersion | undefined;
  // The last read found a version it cannot judge (the core then lets only
  // `save({overwrite: true})` write: that one may keep the file aside and replace it).
  let lastReadFoundInvalidVersion = false;
  // The versions this persister itself wrote, newest last. Recorded before each rename,
  // because the watcher's stat may see the renamed file before `known` is updated.
  const ownVersions: FileVersion[] = [];
  // The file last read started with a UTF-8 byte order mark: writes keep it.
  let withBom = false;
  const OWN_VERSIONS_KEPT = 8;

  let cleanedUp: Promise<void> | undefined;
  const removeLeftoversOnce = () => {
    cleanedUp ??= resolveTarget(filePath)
      .then((target) => removeLeftovers(dirname(target), basename(target)))
      .then(
        () => {},
        (error) => report(error),
      );
    return cleanedUp;
  };

  const getPersisted = async (): Promise<PersistedContent | LegacyContent | undefined> => {
    await removeLeftoversOnce();
    const target = await resolveTarget(filePath);
    const file = await readFileText(target);
    if (!('text' in file)) {
      known = 'missing';
      lastReadFoundInvalidVersion = false;
      withBom = false;
      return undefined;
    }
    let content: PersistedContent | LegacyContent | undefined;
    try {
      content = parseContentText(file.text, target);
    } catch (error) {
      lastReadFoundInvalidVersion = error instanceof InvalidStoredVersionError;
      throw error; // unreadable: reported by the core
    }
    lastReadFoundInvalidVersion = false;
    known = file.version;
    withBom = file.text.startsWith(BOM);
    return content;
  };

  // Runs under the lock, right before the rename: may the file at `target` be replaced?
  // `incremental`: the core's save of changes (this backend writes them as the whole
  // store all the same). Which versions of the data's shape may meet is the core's call.
  const checkBeforeReplacing = async (target: string, incremental: boolean): Promise<void> => {
    const current = await statVersion(target);
    if (current === 'missing' || sameVersion(current, known)) {
      return;
    }
    const file = await readFileText(target);
    if (!('text' in file)) {
      return;
    }
    try {
      parseContentText(file.text, target);
    } catch (error) {
      // A version we cannot judge is not written over by a save that has not seen it:
      // the core re-reads and reports it. Only a full save after such a read (the core
      // allows nothing but `save({overwrite: true})` then) keeps it aside and goes on.
      if (
        error instanceof InvalidStoredVersionError &&
        (incremental || !lastReadFoundInvalidVersion)
      )
        throw new PersisterConflictError();
      report(new FileMovedAsideError(target, await keepAside(target)));
      return;
    }
    if (known !== undefined) {
      // Someone else wrote since we last read: the core reloads, re-applies our pending
      // changes on top and saves again, so neither side's changes are lost.
      throw new PersisterConflictError();
    }
  };

  const setPersisted = async (
    getContent: () => PersistedContent,
    changes?: Changes,
  ): Promise<void> => {
    await removeLeftoversOnce();
    // `[tables, values]`, or `[tables, values, {version}]` with a version.
    const text = (withBom ? BOM : '') + JSON.stringify(getContent());
    const target = await resolveTarget(filePath);
    const folder = dirname(target);
    const name = basename(target);
    await mkdir(folder, {recursive: true});
    const temp = await writeTempFile(folder, name, target, text);
    let renamed = false;
    try {
      const release = await acquireLock(folder, name);
      try {
        await checkBeforeReplacing(target, changes !== undefined);
        ownVersions.push(temp.version);
        if (ownVersions.length > OWN_VERSIONS_KEPT) ownVersions.shift();
        await rename(temp.path, target);
        renamed = true;
        known = temp.version;
      } finally {
        await release();
      }
    } finally {
      if (!renamed) {
        await unlink(temp.path).catch(() => {});
      }
    }
    await syncFolder(folder);
  };

  const addPersisterListener = async (listener: PersisterListener): Promise<FileWatcher> => {
    const target = await resolveTarget(filePath);
    await mkdir(dirname(target), {recursive: true});
    const onChange = () => {
      resolveTarget(filePath)
        .then(statVersion)
        .then((current) => {
          const ours = ownVersions.some((version) => sameVersion(current, version));
          if (!ours && !sameVersion(current, known)) {
            listener();
          }
        })
        .catch(report);
    };
    // The link's own folder too, so that pointing the link elsewhere is noticed.
    const paths = [...new Set([target, resolve(filePath)])];
    return watchFiles(paths, onChange, {
      debounceMs: watchDebounceMs,
      maxWaitMs: watchDebounceMs * 5,
      onError: report,
    });
  };

  const delPersisterListener = (watcher: FileWatcher) => watcher.close();

  const persister = createCustomPersister(
    store,
    getPersisted,
    setPersisted,
    addPersisterListener,
    delPersisterListener,
    onIgnoredError,
    // An unreadable file does not block saves: the next one moves it aside first. Not so
    // a version it cannot judge, nor data of a newer version or a failed migration
    // (those errors come from the core, never from getPersisted): saves wait then.
    {
      ...persisterOptions,
      keepsUnreadableAside: (error) =>
        error instanceof UnreadableFileError && !(error instanceof InvalidStoredVersionError),
    },
  );
  return Object.assign(persister, {getFilePath: () => filePath});
};
