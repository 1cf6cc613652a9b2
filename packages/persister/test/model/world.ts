// The world of the model-checking suite: a compare-and-set storage whose every
// read and write resolves when fast-check's scheduler says so, with the
// outcome the program drew (ok, fail, garbage, conflict, synchronous echo), a
// second writer, and the checks made while it runs.
import type {Changes, Content} from '@x/store';
import type fc from 'fast-check';
import {type PersistedContent, PersisterConflictError, type PersisterListener} from '../../src';
import {applyChangesToContent, cloneJson} from '../helpers/content';

export type ReadOutcome = 'ok' | 'fail' | 'garbage';
export type WriteOutcome = 'ok' | 'fail' | 'conflict' | 'echo';

const GARBAGE = '<html>login</html>';

export type World = {
  /** What storage holds; `undefined` when nothing is persisted. */
  data: Content | undefined;
  /** Storage holds unreadable data on top of `data` (a second program wrote garbage). */
  corrupt: boolean;
  /** Bumped by every change of storage, ours or the second writer's. */
  version: number;
  /** The version this persister last read or wrote (compare-and-set). */
  seen: number | undefined;
  /** From the quiescence phase on, storage behaves. */
  calm: boolean;
  readOutcomes: ReadOutcome[];
  writeOutcomes: WriteOutcome[];
  listener: PersisterListener | undefined;
  /** Storage calls in flight (never more than one). */
  inFlight: number;
  /** The last read failed or answered garbage, and no read succeeded since. */
  lastReadFailed: boolean;
  violations: string[];
  /** Incremental writes, for the echo check. */
  writes: (Changes | undefined)[];
  /** A newer app (version 1) migrated storage: this persister (version 0) must never write again. */
  newer: boolean;
};

export const createWorld = (
  data: Content | undefined,
  readOutcomes: ReadOutcome[],
  writeOutcomes: WriteOutcome[],
): World => ({
  data: cloneJson(data),
  corrupt: false,
  version: data ? 1 : 0,
  seen: undefined,
  calm: false,
  readOutcomes: [...readOutcomes],
  writeOutcomes: [...writeOutcomes],
  listener: undefined,
  inFlight: 0,
  lastReadFailed: false,
  violations: [],
  writes: [],
  newer: false,
});

const enter = (world: World, what: string) => {
  if (world.inFlight > 0) world.violations.push(`${what} while another storage call was in flight`);
  world.inFlight++;
};

/** The storage functions of one persister on this world. */
export const storageOf = (world: World, s: fc.Scheduler) => ({
  getPersisted: async (): Promise<Content | undefined> => {
    enter(world, 'a read');
    try {
      await s.schedule(Promise.resolve(), 'read');
      const outcome = world.calm ? 'ok' : (world.readOutcomes.shift() ?? 'ok');
      if (outcome === 'fail') {
        world.lastReadFailed = true;
        throw new Error('read failed');
      }
      if (outcome === 'garbage' || world.corrupt) {
        world.lastReadFailed = true;
        return GARBAGE as never;
      }
      world.lastReadFailed = false;
      world.seen = world.version;
      return cloneJson(world.data);
    } finally {
      world.inFlight--;
    }
  },

  setPersisted: async (getContent: () => PersistedContent, changes?: Changes): Promise<void> => {
    enter(world, 'a write');
    try {
      if (world.lastReadFailed)
        world.violations.push('a write after a failed read, before any good read');
      await s.schedule(Promise.resolve(), changes ? 'write changes' : 'write all');
      const outcome = world.calm ? 'ok' : (world.writeOutcomes.shift() ?? 'ok');
      if (outcome === 'fail') throw new Error('write failed');
      // Compare and set: someone else wrote since this persister last read or wrote.
      if (world.seen !== world.version && (world.data !== undefined || world.corrupt))
        throw new PersisterConflictError();
      if (outcome === 'conflict') throw new PersisterConflictError();
      if (world.newer) world.violations.push('wrote over data of a newer version');
      const content = changes ? undefined : cloneJson(getContent() as Content);
      world.writes.push(cloneJson(changes));
      world.data = content ?? applyChangesToContent(world.data, changes as Changes);
      world.corrupt = false;
      world.seen = ++world.version;
      // Like Yjs: the write is heard back from inside setPersisted.
      if (outcome === 'echo') world.listener?.(content, cloneJson(changes));
    } finally {
      world.inFlight--;
    }
  },

  addPersisterListener: (listener: PersisterListener) => {
    world.listener = listener;
    return listener;
  },

  delPersisterListener: (listener: PersisterListener) => {
    if (world.listener === listener) world.listener = undefined;
  },
});
