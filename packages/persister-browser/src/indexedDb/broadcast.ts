// What one tab tells the others after each committed save: the database
// version that save produced and, for an incremental save, the cells it
// changed. A tab applies a message's changes only when it is the next version
// it expects; otherwise (a full save, a message out of order, one it cannot
// place) it re-reads the database.
import type {Changes} from '@x/store';

/**
 * `version` is the database version after the save; `changes` is an
 * incremental save, cell by cell (`undefined`: deleted), absent for a full
 * save; `contentVersion` the version of the content's shape those changes
 * were made on (absent: 0). Sent once the save's transaction committed, one
 * message per transaction. BroadcastChannel's structured clone keeps
 * `undefined` entries.
 */
export type IdbMessage = {version: number; changes?: Changes; contentVersion?: number};

/** The name of the channel shared by every persister on `dbName`, in any tab. */
export const channelName = (dbName: string) => `@x/persister-browser/indexeddb:${dbName}`;

const isObject = (value: unknown): value is {[key: string]: unknown} =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks the shape of a message from another tab (the core validates every
 * cell of its changes); throws a clear error on anything else.
 *
 * @example
 * ```ts
 * readMessage({version: 3, changes: [{t: {r: {c: 1}}}, {}, 1]}); // the message, checked
 * readMessage({kind: 'drop-everything'}); // throws a TypeError
 * ```
 */
export const readMessage = (message: unknown): IdbMessage => {
  const changes = isObject(message) ? message.changes : undefined;
  if (
    !isObject(message) ||
    !Number.isSafeInteger(message.version) ||
    (message.contentVersion !== undefined && !Number.isSafeInteger(message.contentVersion)) ||
    (changes !== undefined &&
      !(Array.isArray(changes) && isObject(changes[0]) && isObject(changes[1])))
  ) {
    throw new TypeError('IndexedDB broadcast: malformed message');
  }
  return message as IdbMessage;
};
