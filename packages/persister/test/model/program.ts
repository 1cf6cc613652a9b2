// Programs for the model-checking suite: public calls that are never awaited,
// local edits (transactions left open across steps, nested ones, rollbacks,
// listeners that write or throw), and a second writer that tells the persister
// each of the three ways or not at all. The local writer owns cells `x`, `y`
// and the derived `dx`, and the value `lv`; the second writer owns cell `e` of
// the same rows and the value `ev`: their edits are disjoint. The second writer
// may write `'bad'`, which the store's schema (set at the start, or by a step
// while the store may already hold such data) refuses: storage must keep it.
import type {Cell, Changes, Content, Store} from '@x/store';
import fc from 'fast-check';
import type {Persister} from '../../src';
import {cloneJson} from '../helpers/content';
import type {ReadOutcome, World, WriteOutcome} from './world';

const rowId = fc.constantFrom('1', '2');
const small = fc.integer({min: 0, max: 3});

export type Step =
  | {do: 'set'; r: string; c: 'x' | 'y'; v: number}
  | {do: 'del'; r: string; c: 'x' | 'y'}
  | {do: 'setValue'; v: number}
  | {do: 'begin'}
  | {do: 'commit'}
  | {do: 'rollback'}
  | {do: 'commitBegin'}
  | {do: 'throwing'; on: boolean}
  | {
      do: 'external';
      r: string;
      v: number | null | 'bad';
      tell: 'reread' | 'content' | 'changes' | 'none';
    }
  | {do: 'schema'}
  | {do: 'upgrade'; tell: 'reread' | 'content' | 'none'}
  | {do: 'corrupt'}
  | {do: 'repair'}
  | {
      do: 'call';
      call:
        | 'load'
        | 'loadInitial'
        | 'save'
        | 'startAutoLoad'
        | 'startAutoLoadInitial'
        | 'startAutoSave'
        | 'startAutoPersisting'
        | 'stopAutoLoad'
        | 'stopAutoSave'
        | 'stopAutoPersisting'
        | 'schedule';
    };

export const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      do: fc.constant('set' as const),
      r: rowId,
      c: fc.constantFrom('x' as const, 'y' as const),
      v: small,
    }),
  },
  fc.record({
    do: fc.constant('del' as const),
    r: rowId,
    c: fc.constantFrom('x' as const, 'y' as const),
  }),
  fc.record({do: fc.constant('setValue' as const), v: small}),
  fc.constant({do: 'begin' as const}),
  fc.constant({do: 'commit' as const}),
  fc.constant({do: 'rollback' as const}),
  // Finishing a transaction and opening the next in one synchronous step.
  fc.constant({do: 'commitBegin' as const}),
  fc.record({do: fc.constant('throwing' as const), on: fc.boolean()}),
  {
    weight: 3,
    arbitrary: fc.record({
      do: fc.constant('external' as const),
      r: rowId,
      v: fc.oneof(
        {weight: 3, arbitrary: fc.option(fc.integer({min: 10, max: 13}), {nil: null})},
        {weight: 1, arbitrary: fc.constant('bad' as const)},
      ),
      tell: fc.constantFrom(
        'reread' as const,
        'content' as const,
        'changes' as const,
        'none' as const,
      ),
    }),
  },
  fc.constant({do: 'corrupt' as const}),
  fc.constant({do: 'repair' as const}),
  fc.constant({do: 'schema' as const}),
  fc.record({
    do: fc.constant('upgrade' as const),
    tell: fc.constantFrom('reread' as const, 'content' as const, 'none' as const),
  }),
  {
    weight: 5,
    arbitrary: fc.record({
      do: fc.constant('call' as const),
      call: fc.constantFrom(
        'load' as const,
        'loadInitial' as const,
        'save' as const,
        'startAutoLoad' as const,
        'startAutoLoadInitial' as const,
        'startAutoSave' as const,
        'startAutoPersisting' as const,
        'stopAutoLoad' as const,
        'stopAutoSave' as const,
        'stopAutoPersisting' as const,
        'schedule' as const,
      ),
    }),
  },
);

export const programArbitrary = fc.record({
  startsWith: fc.option(fc.constant<Content>([{l: {'1': {x: 0, e: 10}, '2': {e: 11}}}, {ev: 10}]), {
    nil: undefined,
  }),
  steps: fc.array(stepArbitrary, {minLength: 1, maxLength: 25}),
  reads: fc.array(fc.constantFrom<ReadOutcome>('ok', 'ok', 'fail', 'garbage'), {maxLength: 12}),
  writes: fc.array(fc.constantFrom<WriteOutcome>('ok', 'ok', 'fail', 'conflict', 'echo'), {
    maxLength: 12,
  }),
  endsWithDestroy: fc.boolean(),
  schemaAtStart: fc.boolean(),
});

/** Numbers only: the second writer's `'bad'` is refused. */
export const setSchema = (store: Store): void => {
  const number = {type: 'number'} as const;
  // A throwing listener (step `throwing`): the store applied the schema, then rethrew.
  try {
    store.setTablesSchema({l: {x: number, y: number, dx: number, e: number}, i: {c: number}});
  } catch {}
  try {
    store.setValuesSchema({lv: number, ev: number});
  } catch {}
};

export type Program = ReturnType<(typeof programArbitrary)['generate']>['value'];

/** Initial content only touches table `i`, which no other step writes. */
const INITIAL: Content = [{i: {'1': {c: 1}}}, {}];

type Cells = Map<string, Cell | undefined>;

/**
 * What each writer last wrote, cell by cell (`table/row/cell` or `value`).
 * `contested`: second-writer cells that a local row deletion took with it while
 * they were kept refused data; after that, either writer may be last.
 */
export type Expected = {local: Cells; external: Cells; contested: Set<string>};

/** Runs one step, keeping `expected` (and the open transaction's writes) up to date. */
export const createStepRunner = (
  store: Store,
  persister: Persister,
  world: World,
  expected: Expected,
) => {
  let depth = 0;
  let throwing = false;
  // The second writer's cells as the store held them when the user's transaction opened.
  let externalAtBegin = '';
  const externalInStore = () =>
    JSON.stringify([
      store.getCell('l', '1', 'e'),
      store.getCell('l', '2', 'e'),
      store.getValue('ev'),
    ]);
  store.addRowListener(null, null, () => {
    if (throwing) throw new Error('a listener threw');
  });
  // A listener that writes: `dx` follows `x` of row 1.
  store.addCellListener('l', '1', 'x', (_, __, ___, ____, x) => {
    if (x === undefined) store.delCell('l', '1', 'dx');
    else store.setCell('l', '1', 'dx', (x as number) * 2);
  });

  const heldValue = (key: string): Cell | undefined => {
    const [tableId, rowId, cellId] = key.split('/');
    return cellId === undefined ? store.getValue(key) : store.getCell(tableId, rowId, cellId);
  };
  // A local write counts when it changes the store, net over its transaction.
  let before = new Map<string, Cell | undefined>();
  // The refused data kept when the transaction's first local write happened.
  let keptBefore: Content | undefined;
  const record = () => {
    for (const [key, value] of before) {
      const after = heldValue(key);
      if (after !== value) expected.local.set(key, after);
    }
    // A row the app emptied takes the refused cells kept in it along (documented).
    for (const r of ['1', '2'])
      if (
        keptBefore?.[0].l?.[r]?.e !== undefined &&
        [...before.keys()].some((key) => key.startsWith(`l/${r}/`)) &&
        !store.hasRow('l', r)
      )
        expected.contested.add(`l/${r}/e`);
    before = new Map();
    keptBefore = undefined;
  };
  const local = (key: string, write: () => void) => {
    keptBefore ??= persister.getRejected();
    if (!before.has(key)) before.set(key, heldValue(key));
    try {
      write();
    } catch {
      // A throwing listener: the store applied the write, then rethrew.
    }
    if (depth === 0) record();
  };
  const tell = (how: 'reread' | 'content' | 'changes' | 'none', changes: Changes) => {
    if (how === 'none' || !world.listener) return;
    if (how === 'reread') world.listener();
    else if (how === 'content' && world.data && !world.corrupt) {
      world.lastReadFailed = false;
      world.listener(JSON.parse(JSON.stringify(world.data)));
    } else if (how === 'changes') world.listener(undefined, changes);
  };

  const run = (step: Step): void => {
    switch (step.do) {
      case 'set':
        local(`l/${step.r}/${step.c}`, () => store.setCell('l', step.r, step.c, step.v));
        return;
      case 'del':
        local(`l/${step.r}/${step.c}`, () => store.delCell('l', step.r, step.c));
        return;
      case 'setValue':
        local('lv', () => store.setValue('lv', step.v));
        return;
      case 'schema':
        setSchema(store);
        // Inside an open transaction the schema's own drops of `'bad'` are the user's, not news.
        if (depth > 0)
          externalAtBegin = JSON.stringify(
            (JSON.parse(externalAtBegin) as unknown[]).map((cell) =>
              cell === 'bad' ? null : cell,
            ),
          );
        return;
      case 'begin':
        if (depth++ === 0) externalAtBegin = externalInStore();
        store.startTransaction();
        return;
      case 'commitBegin':
        run({do: 'commit'});
        run({do: 'begin'});
        return;
      case 'commit':
      case 'rollback': {
        if (depth === 0) return;
        const rollback = step.do === 'rollback' && depth === 1;
        if (depth === 1 && externalInStore() !== externalAtBegin)
          world.violations.push('storage news was applied inside an open user transaction');
        depth--;
        try {
          store.finishTransaction(rollback ? () => true : undefined);
        } catch {
          // A throwing listener.
        }
        if (depth === 0) record();
        return;
      }
      case 'throwing':
        throwing = step.on;
        return;
      case 'upgrade': {
        // A newer app migrates storage: table `l` becomes `n`, stored with version 1.
        if (world.corrupt || world.newer) return;
        const [tables, values] = world.data ?? [{}, {}];
        const {l, ...rest} = tables;
        const upgraded = [{...rest, n: l ?? {}}, values, {version: 1}];
        world.data = upgraded as unknown as Content;
        world.newer = true;
        world.version++;
        if (step.tell === 'reread') world.listener?.();
        else if (step.tell === 'content') world.listener?.(cloneJson(upgraded) as never);
        return;
      }
      case 'external': {
        if (world.corrupt || world.newer) return;
        const [tables, values] = world.data ?? [{}, {}];
        tables.l ??= {};
        const table = tables.l;
        table[step.r] ??= {};
        const row = table[step.r];
        const changes: Changes = [
          {l: {[step.r]: {e: step.v ?? undefined}}},
          {ev: step.v ?? undefined},
          1,
        ];
        if (step.v === null) delete row.e;
        else row.e = step.v;
        if (Object.keys(row).length === 0) delete table[step.r];
        if (Object.keys(table).length === 0) delete tables.l;
        if (step.v === null) delete values.ev;
        else values.ev = step.v;
        world.data = [tables, values];
        world.version++;
        expected.external.set(`l/${step.r}/e`, step.v ?? undefined);
        expected.external.set('ev', step.v ?? undefined);
        tell(step.tell, changes);
        return;
      }
      case 'corrupt':
        world.corrupt = true;
        world.version++;
        return;
      case 'repair':
        if (!world.corrupt) return;
        world.corrupt = false;
        world.version++;
        return;
      case 'call':
        call(step.call);
        return;
    }
  };

  const call = (name: Extract<Step, {do: 'call'}>['call']): void => {
    const calls: Record<typeof name, () => Promise<unknown>> = {
      load: () => persister.load(),
      loadInitial: () => persister.load(INITIAL),
      save: () => persister.save(),
      startAutoLoad: () => persister.startAutoLoad(),
      startAutoLoadInitial: () => persister.startAutoLoad(() => INITIAL),
      startAutoSave: () => persister.startAutoSave(),
      startAutoPersisting: () => persister.startAutoPersisting(),
      stopAutoLoad: () => persister.stopAutoLoad(),
      stopAutoSave: () => persister.stopAutoSave(),
      stopAutoPersisting: () => persister.stopAutoPersisting(),
      schedule: () => persister.schedule(async () => {}),
    };
    void calls[name]();
  };

  /** Closes what the program left open. */
  const finish = (): void => {
    while (depth > 0) run({do: 'commit'});
    throwing = false;
  };

  return {run, finish};
};
