// A storage whose every read, write and notification the test releases by hand,
// so interleavings are exact. Writes commit to `data` when released.
import type {Changes, Content, Store} from '@x/store';
import type {
  OnIgnoredError,
  PersistedContent,
  Persister,
  PersisterListener,
  PersisterOptions,
} from '../../src';
import {createCustomPersister} from '../../src';
import {applyChangesToContent, cloneJson} from './content';

export type HeldRead = {release(): void; fail(error: unknown): void};
export type HeldWrite = {
  /** `undefined` for a full save. */
  changes: Changes | undefined;
  /** What a full save wrote (read from getContent when setPersisted was called). */
  content: PersistedContent | undefined;
  release(): void;
  fail(error: unknown): void;
};

export type ManualStorage = {
  /** What storage holds (any value: garbage is allowed). */
  data: unknown;
  /** Reads and writes answer at once instead of waiting for release. */
  autoRead: boolean;
  autoWrite: boolean;
  /** Calls the persister's listener synchronously from inside setPersisted with the write's changes (as Yjs does). */
  echoInsideWrite: boolean;
  reads: HeldRead[];
  writes: HeldWrite[];
  readCount: number;
  writeCalls: (Changes | undefined)[];
  listener: PersisterListener | undefined;
  listenerAdds: number;
  listenerDels: number;
  notify(content?: Content, changes?: Changes): void;
  getPersisted(): Promise<Content | undefined | null>;
  setPersisted(getContent: () => PersistedContent, changes?: Changes): Promise<void>;
  createPersister(
    store: Store,
    onIgnoredError?: OnIgnoredError,
    options?: PersisterOptions,
  ): Persister;
};

const deferred = () => {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return {promise, resolve, reject};
};

export const createManualStorage = (data?: unknown): ManualStorage => {
  const storage: ManualStorage = {
    data,
    autoRead: false,
    autoWrite: false,
    echoInsideWrite: false,
    reads: [],
    writes: [],
    readCount: 0,
    writeCalls: [],
    listener: undefined,
    listenerAdds: 0,
    listenerDels: 0,
    notify(content, changes) {
      storage.listener?.(content, changes);
    },
    async getPersisted() {
      storage.readCount++;
      if (!storage.autoRead) {
        const held = deferred();
        const read: HeldRead = {
          release: () => {
            storage.reads.splice(storage.reads.indexOf(read), 1);
            held.resolve();
          },
          fail: (error) => {
            storage.reads.splice(storage.reads.indexOf(read), 1);
            held.reject(error);
          },
        };
        storage.reads.push(read);
        await held.promise;
      }
      return cloneJson(storage.data) as Content | undefined | null;
    },
    async setPersisted(getContent, changes) {
      storage.writeCalls.push(changes && cloneJson(changes));
      const content = changes ? undefined : cloneJson(getContent());
      const commit = () => {
        storage.data = content ?? applyChangesToContent(storage.data as Content, changes!);
      };
      if (storage.echoInsideWrite) {
        commit();
        if (changes) storage.listener?.(undefined, changes);
        else storage.listener?.(content);
        if (storage.autoWrite) return;
      }
      if (storage.autoWrite) return commit();
      const held = deferred();
      const write: HeldWrite = {
        changes,
        content,
        release: () => {
          storage.writes.splice(storage.writes.indexOf(write), 1);
          if (!storage.echoInsideWrite) commit();
          held.resolve();
        },
        fail: (error) => {
          storage.writes.splice(storage.writes.indexOf(write), 1);
          held.reject(error);
        },
      };
      storage.writes.push(write);
      await held.promise;
    },
    createPersister(store, onIgnoredError, options) {
      return createCustomPersister(
        store,
        storage.getPersisted,
        storage.setPersisted,
        (listener) => {
          storage.listenerAdds++;
          storage.listener = listener;
          return listener;
        },
        (listener) => {
          storage.listenerDels++;
          if (storage.listener === listener) storage.listener = undefined;
        },
        onIgnoredError,
        options,
      );
    },
  };
  return storage;
};

/** Lets pending callbacks and timers run until `predicate` holds (at most ~2 s); throws if it never does. */
export const until = async (predicate: () => boolean, what = 'condition'): Promise<void> => {
  for (let turn = 0; turn < 450; turn++) {
    if (predicate()) return;
    await new Promise((resolve) => (turn < 50 ? setImmediate(resolve) : setTimeout(resolve, 5)));
  }
  throw new Error(`timed out waiting for ${what}`);
};

/** Lets every pending promise callback run. */
export const settle = async (): Promise<void> => {
  for (let turn = 0; turn < 10; turn++) await new Promise((resolve) => setImmediate(resolve));
};

export const nextRead = async (storage: ManualStorage): Promise<HeldRead> => {
  await until(() => storage.reads.length > 0, 'a read');
  return storage.reads[0];
};

export const nextWrite = async (storage: ManualStorage): Promise<HeldWrite> => {
  await until(() => storage.writes.length > 0, 'a write');
  return storage.writes[0];
};
