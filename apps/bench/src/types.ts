// The shapes the runner, the child processes and the scenarios share.
import type {OnIgnoredError, Persister} from '@x/persister';
import type {Store} from '@x/store';
import type * as Y from 'yjs';
import type {Machine} from './machine';

export type LibName = 'x' | 'tinybase';

/** Every function a scenario may ask a library for. */
export type Lib = {
  name: LibName;
  createStore: () => Store;
  createCustomPersister: (...args: never[]) => Persister;
  createFilePersister: (
    store: Store,
    filePath: string,
    onIgnoredError?: OnIgnoredError,
  ) => Persister;
  createLocalPersister: (store: Store, name: string, onIgnoredError?: OnIgnoredError) => Persister;
  createSessionPersister: (
    store: Store,
    name: string,
    onIgnoredError?: OnIgnoredError,
  ) => Persister;
  createIndexedDbPersister: (
    store: Store,
    name: string,
    onIgnoredError?: OnIgnoredError,
  ) => Persister;
  createRemotePersister: (
    store: Store,
    loadUrl: string,
    saveUrl: string,
    autoLoadIntervalSeconds?: number,
    onIgnoredError?: OnIgnoredError,
  ) => Persister;
  createYjsPersister: (
    store: Store,
    yDoc: Y.Doc,
    yMapName?: string,
    onIgnoredError?: OnIgnoredError,
  ) => Persister;
  createServer: (...args: never[]) => unknown;
};

export type FnName = Exclude<keyof Lib, 'name'>;

export type Unit = 'ms' | 'B' | 'MB' | 'writes';

export type Metric = {key: string; label: string; unit: Unit; floor?: boolean};

/** A run's figures by metric key: a number, or why that one is not measured yet. */
export type Figures = {[key: string]: number | {notReady: string}};

export type RunContext = {tmpDir: string; run: number; onIgnoredError: OnIgnoredError};

/**
 * One scenario of issue 9. `needs` are imported before any run (a missing one
 * makes the scenario "not ready" for that library); `run` measures one run
 * and throws WrongResult when the result is wrong.
 */
export type Scenario<Size = unknown> = {
  id: string;
  title: (size: Size) => string;
  needs: FnName[];
  /** Only these libraries have the scenario (the others show `notApplicable`). */
  libs?: LibName[];
  notApplicable?: string;
  size: {full: Size; quick: Size};
  /** Same figure every time (bundle sizes): one run, no warm-up. */
  deterministic?: boolean;
  /** Fewer runs in a full run, with the reason printed under the table. */
  fullRuns?: {runs: number; warmup: number; why: string};
  metrics: Metric[];
  setup?: () => Promise<void>;
  teardown?: () => Promise<void>;
  run: (lib: Lib, size: Size, ctx: RunContext) => Promise<Figures>;
};

/** Types a scenario against its own sizes, then erases them for the list. */
export const defineScenario = <Size>(scenario: Scenario<Size>): Scenario =>
  scenario as unknown as Scenario;

/** What a library's process gives for one scenario. */
export type Failure = {status: 'not-ready' | 'wrong' | 'error' | 'n/a' | 'skipped'; reason: string};
export type LibResult =
  | {
      status: 'ok';
      samples: {[key: string]: number[]};
      notReady: {[key: string]: string};
      seconds: number;
    }
  | Failure;

/** One cell of the table. */
export type Entry =
  | {status: 'ok'; median: number; min: number; max: number; samples: number[]}
  | Failure;

export type Row = {
  scenario: string;
  metric: string;
  label: string;
  unit: Unit;
  floor: boolean;
  runs: number;
  warmup: number;
  x: Entry;
  tinybase: Entry;
  ratio?: number;
};

/** What a run writes to results/*.json. */
export type Report = {
  date: string;
  machine: Machine;
  tinybase: string;
  mode: 'quick' | 'full';
  runs: number;
  warmup: number;
  /** Scenarios run with other counts than the rest, and why. */
  notes: string[];
  rows: Row[];
};

/** Messages between the runner and a child process. */
export type ChildMessage =
  | {type: 'ready'}
  | {type: 'figures'; figures: Figures}
  | {type: 'failed'; result: Failure};
export type RunnerMessage = {type: 'run'; run: number} | {type: 'done'};
