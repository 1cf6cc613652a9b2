// Reading the data file: its text together with the version that text belongs to.
import {open} from 'node:fs/promises';
import {type LegacyContent, type PersistedContent, validatePersisted} from '@x/persister';
import {hasCode} from './errorCode';
import {type FileVersion, versionOf} from './fileVersion';

/**
 * The data file exists but does not hold `[tables, values]` JSON. `filePath` is the
 * file that could not be read; it is never overwritten before being moved aside.
 *
 * @example
 * ```ts
 * const persister = createFilePersister(store, 'pets.json', (error) => {
 *   if (error instanceof UnreadableFileError) console.error(`fix ${error.filePath}`);
 * });
 * ```
 */
export class UnreadableFileError extends Error {
  /** Always `'UnreadableFileError'`. */
  override name = 'UnreadableFileError';
  constructor(
    /** The data file, as given to createFilePersister. */
    readonly filePath: string,
    reason: string,
  ) {
    super(`Cannot read ${filePath}: ${reason}`);
  }
}

/**
 * An unreadable data file was about to be replaced by a save, so it was kept first
 * under `movedTo`. Reported through onIgnoredError; nothing was lost.
 *
 * @example
 * ```ts
 * const persister = createFilePersister(store, 'pets.json', (error) => {
 *   if (error instanceof FileMovedAsideError) console.warn(`old data kept in ${error.movedTo}`);
 * });
 * ```
 */
export class FileMovedAsideError extends Error {
  /** Always `'FileMovedAsideError'`. */
  override name = 'FileMovedAsideError';
  constructor(
    /** The data file, as given to createFilePersister. */
    readonly filePath: string,
    /** Where the unreadable file now is, next to `filePath`. */
    readonly movedTo: string,
  ) {
    super(`${filePath} could not be read and was moved aside to ${movedTo} before saving`);
  }
}

/**
 * The data file holds `[tables, values, meta]` whose `meta.version` is not a
 * non-negative integer (`-1`, `1.5`, `"2"`, or no `{version}` at all). Such a file
 * is not ours to judge (a newer or a foreign writer may have made it), so unlike
 * other unreadable files it is never moved aside nor replaced, by any save: it
 * stays as it is until it is fixed or removed by hand, and saves wait.
 *
 * @example
 * ```ts
 * const persister = createFilePersister(store, 'pets.json', (error) => {
 *   if (error instanceof InvalidStoredVersionError) console.error(`fix the version in ${error.filePath}`);
 * }, {version: 2});
 * ```
 */
export class InvalidStoredVersionError extends UnreadableFileError {
  /** Always `'InvalidStoredVersionError'`. */
  override name = 'InvalidStoredVersionError';
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Throws InvalidStoredVersionError when `json` is `[tables, values, meta]` with a bad `meta.version`. */
const checkStoredVersion = (json: unknown, path: string): void => {
  if (!Array.isArray(json) || json.length !== 3) return;
  const meta: unknown = json[2];
  const version = isPlainObject(meta) ? meta.version : undefined;
  if (typeof version === 'number' && Number.isSafeInteger(version) && version >= 0) return;
  throw new InvalidStoredVersionError(
    path,
    `its third element must be {"version": n} with n a non-negative integer, got ${JSON.stringify(meta)}`,
  );
};

export type FileText = {version: 'missing'} | {version: FileVersion; text: string};

/** The file's text and the version it was read from (stat first: a later change shows). */
export const readFileText = async (path: string): Promise<FileText> => {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    // ENOTDIR: a file where a folder of the path should be, so no such file either.
    if (hasCode(error, 'ENOENT') || hasCode(error, 'ENOTDIR')) {
      return {version: 'missing'};
    }
    throw error;
  }
  try {
    const version = versionOf(await handle.stat({bigint: true}));
    return {version, text: await handle.readFile('utf8')};
  } finally {
    await handle.close();
  }
};

/** The UTF-8 byte order mark, as a string read with 'utf8' starts with it. */
export const BOM = '\uFEFF';

/**
 * The content held by the file's text (a leading byte order mark is skipped);
 * `undefined` for an empty file (nothing persisted).
 * Throws UnreadableFileError for anything that is not valid `[tables, values]` JSON
 * (or `[tables, values, {version}]`, or `[tables]`, as older versions wrote), and its
 * InvalidStoredVersionError for a third element whose version is not a non-negative integer.
 */
export const parseContentText = (
  text: string,
  path: string,
): PersistedContent | LegacyContent | undefined => {
  // A UTF-8 byte order mark (Windows editors write one) is not part of the JSON.
  if (text.startsWith(BOM)) text = text.slice(1);
  if (text.trim() === '') {
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UnreadableFileError(path, `not valid JSON (${(error as Error).message})`);
  }
  checkStoredVersion(json, path);
  try {
    // `[tables]` (older versions, no values) is read too.
    return validatePersisted(json);
  } catch (error) {
    throw new UnreadableFileError(path, (error as Error).message);
  }
};
