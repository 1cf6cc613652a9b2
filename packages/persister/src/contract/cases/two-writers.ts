// Guarantee 8: two persisters on one storage, both autosaving and autoloading,
// each making a few hundred edits the other never touches, with no waiting
// between them. At quiescence both stores and the storage hold every edit.
import {createStore, type Store} from '@x/store';
import {sameContent} from '../../canonical-json';
import type {OnIgnoredError} from '../../types';
import type {ContractHarness, ContractStorage} from '../harness';
import type {ContractTestApi} from '../test-api';
import {waitFor} from '../wait-for';
import {autoLoadTimeout, type Track, withStorage} from '../with-storage';

/** Edits per writer and round. */
const EDITS = 300;
const SHARED_ROWS = 8;

/** A small seeded generator (mulberry32), so that a failing round can be replayed. */
const createRandom = (seed: number) => {
  let state = seed >>> 0;
  return (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
};

type Edit = (store: Store) => void;

/**
 * The edits of writer `me` (`'a'` or `'b'`): only cells, rows and values whose
 * ids carry `me`, in tables both write to. Different cells of the same rows
 * (`shared`), a row both create at the same step (`born`), rows of their own
 * (`own`, some deleted again), own cells set then deleted, and values.
 * Every edit is drawn from `random` up front.
 */
const writerEdits = (me: string, random: () => number): Edit[] => {
  const edits: Edit[] = [];
  // Every id and choice is drawn here, not inside the edit, so that the model replays it exactly.
  const pick = (count: number) => Math.floor(random() * count);
  for (let step = 0; step < EDITS; step++) {
    const shared = `s${pick(SHARED_ROWS)}`;
    const own = `${me}${pick(40)}`;
    switch (pick(8)) {
      case 0:
      case 1:
        edits.push((store) => store.setCell('shared', shared, me, step));
        break;
      case 2:
        edits.push((store) => store.setCell('shared', shared, `${me}-text`, `${me}${step}`));
        break;
      case 3:
        edits.push((store) => store.delCell('shared', shared, `${me}-text`));
        break;
      case 4:
        // The same row id, created by both writers at the same step (cells, not
        // setRow, which would delete the other writer's cells).
        edits.push((store) =>
          store.setPartialRow('born', `r${step}`, {[me]: step, [`${me}-flag`]: step % 2 === 0}),
        );
        break;
      case 5:
        edits.push((store) => store.setRow('own', own, {by: me, n: step}));
        break;
      case 6:
        edits.push((store) => store.delRow('own', own));
        break;
      default: {
        const valueId = `${me}${pick(10)}`;
        edits.push((store) => store.setValue(valueId, step));
      }
    }
  }
  return edits;
};

/** The core's report that a save met conflicts several times in a row and waits to retry. */
const isGiveUpReport = (error: string) => /conflict/i.test(error);

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const twoWriterRound = async (
  storage: ContractStorage,
  track: Track,
  seed: number,
  timeout: number,
): Promise<{expected: unknown; first: Store; second: Store; errors: unknown[]}> => {
  const errors: unknown[] = [];
  const onIgnoredError: OnIgnoredError = (error) => errors.push(error);
  const first = createStore();
  const second = createStore();
  const firstPersister = track(await storage.createPersister(first, onIgnoredError));
  const secondPersister = track(
    await (storage.createSecondPersister ?? storage.createPersister)(second, onIgnoredError),
  );
  await Promise.all([firstPersister.startAutoPersisting(), secondPersister.startAutoPersisting()]);

  // The edits are drawn once: the model store replays the same closures in the same order.
  const random = createRandom(seed);
  const editsA = writerEdits('a', createRandom(seed ^ 0xa));
  const editsB = writerEdits('b', createRandom(seed ^ 0xb));
  const model = createStore();
  const modelEdits: Edit[] = [];
  for (let step = 0; step < EDITS; step++) {
    // A few edits go into one transaction; now and then a timer turn lets
    // saves and notifications run between edits (nothing waits for them).
    const a = editsA[step] as Edit;
    const b = editsB[step] as Edit;
    if (random() < 0.5) {
      a(first);
      b(second);
    } else {
      b(second);
      a(first);
    }
    modelEdits.push(a, b);
    const pause = random();
    if (pause < 0.15) await tick(0);
    else if (pause < 0.2) await tick(1 + Math.floor(random() * 5));
    else if (pause < 0.5) await Promise.resolve();
  }
  // The model never saw storage: every edit is disjoint, so order between writers does not matter.
  model.transaction(() => {
    for (const edit of modelEdits) edit(model);
  });
  const expected = model.getContent();
  const holdsAll = async () =>
    sameContent(first.getContent(), expected) &&
    sameContent(second.getContent(), expected) &&
    sameContent(await storage.read(), expected);
  try {
    await waitFor(holdsAll, timeout, 'both stores and the storage to hold every edit');
  } catch {
    // Fall through to the assertions, which show what is missing.
  }
  return {expected, first, second, errors};
};

/** Whether the harness takes part in the two-writer cases (it can opt out). */
export const hasTwoWriters = (harness: ContractHarness): boolean =>
  harness.persistersHearEachOther !== false && harness.twoWriterRounds !== 0;

export const twoWriterCases = (harness: ContractHarness, {it, expect}: ContractTestApi): void => {
  const rounds = harness.twoWriterRounds ?? 20;
  if (!hasTwoWriters(harness)) return;

  // The narrowest form of the race below: one writer deletes the last cell of a
  // row it knows, while the other adds a cell to that row it has not heard of yet.
  it('keeps the other writer’s new cell of a row whose last known cell one writer deletes (10 attempts)', () =>
    withStorage(harness, async (storage, track) => {
      const first = createStore();
      const second = createStore();
      const firstPersister = track(await storage.createPersister(first));
      const secondPersister = track(
        await (storage.createSecondPersister ?? storage.createPersister)(second),
      );
      await firstPersister.startAutoPersisting();
      await secondPersister.startAutoPersisting();
      const timeout = autoLoadTimeout(harness) * 2;
      for (let attempt = 0; attempt < 10; attempt++) {
        const rowId = `r${attempt}`;
        first.setCell('t', rowId, 'a', attempt);
        await waitFor(() => second.hasRow('t', rowId), timeout, 'the second store to hear the row');
        // No waiting between: the first has not heard of `b` when it deletes `a`.
        second.setCell('t', rowId, 'b', attempt);
        first.delCell('t', rowId, 'a');
        const expected = {b: attempt};
        const holds = async () =>
          sameContent((await storage.read())?.[0].t?.[rowId], expected) &&
          sameContent(first.getRow('t', rowId), expected) &&
          sameContent(second.getRow('t', rowId), expected);
        await waitFor(holds, timeout, `row ${rowId} to hold the second writer's cell`).catch(
          () => {},
        );
        expect({attempt, stored: (await storage.read())?.[0].t?.[rowId]}).toEqual({
          attempt,
          stored: expected,
        });
        expect({attempt, first: first.getRow('t', rowId)}).toEqual({attempt, first: expected});
        expect({attempt, second: second.getRow('t', rowId)}).toEqual({attempt, second: expected});
      }
    }));

  // Hundreds of edits take a polling backend several of its intervals to settle.
  const timeout = autoLoadTimeout(harness) * 5;
  const baseSeed = Math.floor(Math.random() * 2 ** 31);
  for (let round = 0; round < rounds; round++) {
    const seed = baseSeed + round;
    it(`two writers with ${EDITS} disjoint edits each keep every edit (round ${round + 1} of ${rounds}, seed ${seed})`, () =>
      withStorage(harness, async (storage, track) => {
        const {expected, first, second, errors} = await twoWriterRound(
          storage,
          track,
          seed,
          timeout,
        );
        const persisted = await storage.read();
        expect({seed, storage: persisted}).toEqual({seed, storage: expected});
        expect({seed, first: first.getContent()}).toEqual({seed, first: expected});
        expect({seed, second: second.getContent()}).toEqual({seed, second: expected});
        // Conflicts are the core's to handle. Under this much contention it may
        // report that it gave up for now after several in a row (and retries
        // later); anything else reported is a failure.
        const unexpected = errors.map(String).filter((error) => !isGiveUpReport(error));
        expect({seed, errors: unexpected}).toEqual({seed, errors: []});
      }));
  }
};
