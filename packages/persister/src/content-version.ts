// Versions of the data's shape. Stored data of an older version is migrated on
// load; data of a newer version (an old tab still open after a new one
// migrated, an app downgrade) is never loaded, and so never written over.
import type {Content} from '@x/store';
import type {LegacyContent, Migrate, PersistedContent} from './types';
import {validateContent} from './validate-content';

/**
 * Reported when storage holds data of a newer version than the persister's:
 * nothing is loaded, and saves wait until an app that knows that version runs.
 *
 * @example
 * ```ts
 * const persister = createFilePersister(store, path, (error) => {
 *   if (error instanceof PersisterVersionError) alert('Please reload: this app is out of date');
 * }, {version: 2});
 * ```
 */
export class PersisterVersionError extends Error {
  /** The version of the data in storage. */
  readonly storedVersion: number;
  /** The version this persister was created with. */
  readonly appVersion: number;
  constructor(storedVersion: number, appVersion: number) {
    super(
      `Storage holds data of version ${storedVersion}, newer than this app's version ${appVersion}: ` +
        'not loaded and never written over; saves wait until the app is updated',
    );
    this.name = 'PersisterVersionError';
    this.storedVersion = storedVersion;
    this.appVersion = appVersion;
  }
}

/** The `version` option, checked when the persister is created. */
export const checkVersionOption = (version: unknown): number => {
  if (version === undefined) return 0;
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0)
    throw new TypeError(`options.version must be a non-negative integer, got ${String(version)}`);
  return version;
};

/**
 * The version of the data's shape that stored content carries: 0 when it has
 * no third element (`[tables, values]` or `[tables]`).
 *
 * @example
 * ```ts
 * versionOf([{}, {}, {version: 2}]); // -> 2
 * versionOf([{}, {}]); // -> 0
 * ```
 */
export const versionOf = (content: PersistedContent | LegacyContent): number =>
  content.length === 3 ? content[2].version : 0;

/** Content as storage holds it at `version`: plain `[tables, values]` at version 0. */
export const withVersion = (content: Content, version: number): PersistedContent =>
  version === 0 ? content : [content[0], content[1], {version}];

/**
 * Stored content in the app's shape: as it is (without its version) when the
 * versions match, migrated and checked when it is older. Throws a
 * PersisterVersionError when it is newer, and when `migrate` throws or returns
 * something that is not content.
 */
export const toAppVersion = async (
  stored: PersistedContent | LegacyContent,
  appVersion: number,
  migrate: Migrate | undefined,
): Promise<Content | LegacyContent> => {
  const storedVersion = versionOf(stored);
  if (storedVersion > appVersion) throw new PersisterVersionError(storedVersion, appVersion);
  if (storedVersion === appVersion || !migrate)
    return stored.length === 3 ? [stored[0], stored[1]] : stored;
  // `[tables]` (older apps) holds no values: the migration starts from none.
  const content: Content = stored.length === 1 ? [stored[0], {}] : [stored[0], stored[1]];
  try {
    return validateContent(await migrate(content, storedVersion));
  } catch (error) {
    throw new Error(
      `migrate(content, ${storedVersion}) failed, so nothing was loaded and storage stays as it is: ${
        error instanceof Error ? error.message : String(error)
      }`,
      {cause: error},
    );
  }
};
