// Model checking the persister core: fast-check's scheduler decides the order
// in which every storage call resolves, while a program of un-awaited public
// calls, local edits and a second writer's edits runs. The oracle: storage
// calls never overlap, nothing loaded is written back, nothing is written after
// a failed read before a good one, and at quiescence (autosave and autoload
// on, storage behaving) store and storage both hold the last write of every
// cell of both writers. A failure shrinks to a short program and prints it.
//
// MODEL_RUNS=100000 pnpm --filter @x/persister exec vitest run test/model-check.test.ts
// To compare with another build of the core (say the previous release's dist),
// counting failing programs instead of stopping at the first:
// MODEL_CORE=/path/to/dist/index.js MODEL_COUNT=10000 pnpm --filter @x/persister exec vitest run test/model-check.test.ts
import type {Cell, Content} from '@x/store';
import {createStore} from '@x/store';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import * as thisCore from '../src';
import {type Persister, sameContent} from '../src';
import {
  createStepRunner,
  type Expected,
  type Program,
  programArbitrary,
  setSchema,
} from './model/program';
import {createWorld, storageOf, type World} from './model/world';

const RUNS = Number(process.env.MODEL_RUNS ?? 1000);
const COUNT = Number(process.env.MODEL_COUNT ?? 0);
const core: typeof thisCore = process.env.MODEL_CORE
  ? await import(/* @vite-ignore */ process.env.MODEL_CORE)
  : thisCore;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const cellOf = (content: Content | undefined, key: string): Cell | undefined => {
  const [tables, values] = content ?? [{}, {}];
  const [tableId, rowId, cellId] = key.split('/');
  return cellId === undefined ? values[tableId] : tables[tableId]?.[rowId]?.[cellId];
};

/** Lets the scheduler resolve everything, and the retry timers fire, until nothing moves. */
const drain = async (s: fc.Scheduler, persister: Persister, world: World): Promise<void> => {
  let quietRounds = 0;
  for (let round = 0; round < 200 && quietRounds < 3; round++) {
    const versionBefore = world.version;
    let reached = false;
    void persister
      .schedule(async () => {})
      .then(() => {
        reached = true;
      });
    for (let turn = 0; !reached && turn < 5000; turn++) {
      if (s.count() > 0) await s.waitOne();
      else await sleep(0);
    }
    if (!reached) world.violations.push('the persister never became idle');
    await sleep(3);
    quietRounds = s.count() === 0 && world.version === versionBefore ? quietRounds + 1 : 0;
  }
};

const LOCAL_KEY = /^(l\/[12]\/(x|y|dx)|lv|i\/.*)$/;

/** Incremental writes mention only the local writer's cells: anything else is an echo. */
const echoes = (world: World, contested: Set<string>): string[] =>
  world.writes.flatMap((changes) => {
    if (!changes) return [];
    const keys = [
      ...Object.entries(changes[0]).flatMap(([t, table]) =>
        table === undefined
          ? [`${t}/*`]
          : Object.entries(table).flatMap(([r, row]) =>
              row === undefined ? [`${t}/${r}/*`] : Object.keys(row).map((c) => `${t}/${r}/${c}`),
            ),
      ),
      ...Object.keys(changes[1]),
    ];
    return keys
      .filter((key) => !LOCAL_KEY.test(key) && !contested.has(key))
      .map((key) => `wrote back ${key}`);
  });

/** `content` without the cells and values the schema refuses (`'bad'`). */
const accepted = ([tables, values]: Content, withSchema: boolean): Content => {
  if (!withSchema) return [tables, values];
  const copy: Content = JSON.parse(JSON.stringify([tables, values]));
  for (const table of Object.values(copy[0]))
    for (const [rowId, row] of Object.entries(table)) {
      for (const [cellId, cell] of Object.entries(row)) if (cell === 'bad') delete row[cellId];
      if (Object.keys(row).length === 0) delete table[rowId];
    }
  for (const [tableId, table] of Object.entries(copy[0]))
    if (Object.keys(table).length === 0) delete copy[0][tableId];
  for (const [valueId, value] of Object.entries(copy[1]))
    if (value === 'bad') delete copy[1][valueId];
  return copy;
};

const check = async (s: fc.Scheduler, program: Program): Promise<void> => {
  const world = createWorld(program.startsWith, program.reads, program.writes);
  const storage = storageOf(world, s);
  const store = createStore();
  if (program.schemaAtStart) setSchema(store);
  const persister = core.createCustomPersister(
    store,
    storage.getPersisted,
    storage.setPersisted,
    storage.addPersisterListener,
    storage.delPersisterListener,
    () => {},
    {retry: {initialDelayMs: 1, maxDelayMs: 2}},
  );
  const expected: Expected = {local: new Map(), external: new Map(), contested: new Set()};
  const runner = createStepRunner(store, persister, world, expected);
  const sequence = s.scheduleSequence(
    program.steps.map((step) => ({
      label: JSON.stringify(step),
      builder: async () => runner.run(step),
    })),
  );
  while (!sequence.done) await s.waitOne();

  // Quiescence: transactions closed, storage repaired and behaving, both directions on.
  world.calm = true;
  runner.finish();
  if (world.corrupt) {
    world.corrupt = false;
    world.version++;
  }
  void persister.startAutoPersisting();
  if (program.endsWithDestroy) {
    let destroyed = false;
    void persister.destroy().then(() => {
      destroyed = true;
    });
    for (let turn = 0; !destroyed && turn < 5000; turn++) {
      if (s.count() > 0) await s.waitOne();
      else await sleep(1);
    }
    if (!destroyed) world.violations.push('destroy() never resolved');
  } else {
    await drain(s, persister, world);
    world.listener?.();
    await drain(s, persister, world);
  }

  const problems = [...world.violations, ...echoes(world, expected.contested)];
  if (world.newer) {
    // Nothing of the newer version was loaded (its table is `n`), nothing written over it.
    if (store.hasTable('n')) problems.push('loaded data of a newer version');
    if (!program.endsWithDestroy) await persister.destroy();
    expect(problems).toEqual([]);
    return;
  }
  for (const [key, value] of [...expected.local, ...expected.external]) {
    if (expected.contested.has(key)) continue;
    const held = cellOf(world.data, key);
    if (held !== value) problems.push(`storage holds ${key} = ${held}, last written ${value}`);
  }
  const x = cellOf(world.data, 'l/1/x');
  const dx = cellOf(world.data, 'l/1/dx');
  if (dx !== (x === undefined ? undefined : (x as number) * 2))
    problems.push(`storage holds dx = ${dx} for x = ${x}`);
  // With a schema, the store holds storage's data minus what the schema refuses.
  const withSchema = store.hasTablesSchema();
  if (!program.endsWithDestroy) {
    if (!sameContent(store.getContent(), accepted(world.data ?? [{}, {}], withSchema)))
      problems.push(
        `store ${JSON.stringify(store.getContent())} differs from storage ${JSON.stringify(world.data)}`,
      );
    const refusedInStorage = withSchema && JSON.stringify(world.data ?? []).includes('"bad"');
    if (refusedInStorage === sameContent(persister.getRejected(), [{}, {}]))
      problems.push(
        `getRejected() ${JSON.stringify(persister.getRejected())} for storage ${JSON.stringify(world.data)}`,
      );
  }
  if (!program.endsWithDestroy) await persister.destroy();
  expect(problems).toEqual([]);
};

describe('model checking the persister core', () => {
  if (COUNT > 0) {
    it(`counts failing programs among ${COUNT}`, async () => {
      const samples = fc.sample(fc.tuple(fc.scheduler(), programArbitrary), {
        numRuns: COUNT,
        seed: 42,
      });
      let failed = 0;
      for (const [s, program] of samples) {
        try {
          await check(s, program);
        } catch {
          failed++;
        }
      }
      console.log(`${failed} of ${COUNT} programs failed`);
    }, 600_000_000);
    return;
  }

  it(`keeps every write of both writers whatever order storage answers in (${RUNS} programs)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), programArbitrary, (s, program) => check(s, program)),
      {numRuns: RUNS, timeout: 10_000},
    );
  }, 600_000_000);
});
