// What the store's schema refuses, watched for the persister: storage's cells
// and values refused while storage's data is applied, and data a schema set on
// the store drops. Both are kept (rejected-data.ts) so that saves write them
// back, reported once, and dropped when the app writes that place itself.
//
// State: `kept` (what storage holds that the store does not), and, for the apply
// or transaction under way only, what was kept before (so nothing is told twice),
// the store's own content when all of it is the user's, the places refused in
// this apply, and whether a transaction outside applies refused anything.
import type {Cell, Changes, Content, Id, Store} from '@x/store';
import {ownOf} from './own-property';
import {
  clearKept,
  copyKept,
  dropCell,
  dropChanged,
  dropRow,
  isKeptEmpty,
  type Kept,
  keepCell,
  keptCell,
  keptContent,
  newKept,
  PersisterRejectedError,
} from './rejected-data';
import {contentView, type StorageView, sameCell, UNKNOWN} from './storage-view';

/** What the watch asks of the persister. */
export type RefusalHooks = {
  /** Storage's data being applied, if it is. */
  applying(): StorageView | undefined;
  /** The app's own data, never saved (whole: all of the store is). */
  isPendingCell(tableId: Id, rowId: Id, cellId: Id): boolean;
  isPendingValue(valueId: Id): boolean;
  isWhole(): boolean;
  /** Storage was never read: whatever the store drops, storage does not have. */
  isUnread(): boolean;
  report(error: unknown): void;
};

/** A drop by a schema: not one (`undefined`), kept as storage's (`'kept'`), or kept and still to save. */
export type DropOutcome = undefined | 'kept' | 'keptUnsaved';

/** The schema's default for a cell (`tableId`) or value (`undefined`), if it has one. */
const schemaDefault = (json: string, tableId: Id | undefined, id: Id): unknown => {
  const schema = JSON.parse(json);
  const rules = tableId === undefined ? schema : ownOf(schema, tableId);
  return ownOf(ownOf(rules, id), 'default');
};

/**
 * Watches `store` for refusals until `stop()`.
 * Call `beginApply`/`removeStale`/`endApply` around each apply of storage's data,
 * `finishTransaction` after each transaction, `dropOf*` and `localWrite*` from the
 * persister's own cell and value listeners.
 */
export const createRefusalWatch = (store: Store, hooks: RefusalHooks) => {
  const kept: Kept = newKept();
  const refusedNow: Kept = newKept();
  let keptBefore: Kept | undefined;
  let whole: StorageView | undefined;
  const refusedInApply: [tableOrValueId: Id, rowId?: Id, cellId?: Id][] = [];
  let refusedOutsideApply = false;
  let drops: StorageView | undefined;

  const isLocal = (tableOrValueId: Id, rowId?: Id, cellId?: Id): boolean =>
    hooks.isWhole() ||
    (cellId === undefined
      ? hooks.isPendingValue(tableOrValueId)
      : hooks.isPendingCell(tableOrValueId, rowId as Id, cellId));

  /** The stored value if the schema refused it here (and it is not the user's to write). */
  const refusedStored = (held: unknown, inputs: unknown[], local: boolean, userHolds: boolean) =>
    held !== UNKNOWN &&
    held !== undefined &&
    !local &&
    !userHolds &&
    inputs.some((input) => sameCell(input, held));

  const invalidCellId = store.addInvalidCellListener(null, null, null, (_, t, r, c, inputs) => {
    const applying = hooks.applying();
    if (!applying) {
      refusedOutsideApply = true;
      return;
    }
    const held = applying.cell(t, r, c);
    if (
      refusedStored(held, inputs, hooks.isPendingCell(t, r, c), whole?.cell(t, r, c) !== undefined)
    ) {
      keepCell(kept, t, r, c, held as Cell);
      keepCell(refusedNow, t, r, c, held as Cell);
      refusedInApply.push([t, r, c]);
    }
  });
  const invalidValueId = store.addInvalidValueListener(null, (_, v, inputs) => {
    const applying = hooks.applying();
    if (!applying) {
      refusedOutsideApply = true;
      return;
    }
    const held = applying.value(v);
    if (refusedStored(held, inputs, hooks.isPendingValue(v), whole?.value(v) !== undefined)) {
      kept.values.set(v, held as Cell);
      refusedNow.values.set(v, held as Cell);
      refusedInApply.push([v]);
    }
  });

  /** A schema's drop of `dropped` (to nothing or its default): kept, and unsaved when new. */
  const keepDrop = (
    dropped: Cell | undefined | typeof UNKNOWN,
    now: unknown,
    old: unknown,
    defaultOf: () => unknown,
    keep: (cell: Cell) => void,
  ): DropOutcome => {
    if (dropped === UNKNOWN || dropped === undefined) return undefined;
    if (now !== undefined && !sameCell(now, defaultOf())) return undefined;
    keep(dropped);
    // Written in this very transaction, or storage never read: storage does not have it.
    return !sameCell(dropped, old) || hooks.isUnread() ? 'keptUnsaved' : 'kept';
  };
  const dropsNow = (): StorageView => {
    drops ??= contentView(store.getSchemaDrops());
    return drops;
  };

  return {
    kept,

    /** Before an apply: forgets what storage no longer says it holds (all, or what `heard` changed). */
    beginApply(wholeStore: Content | undefined, heard?: Changes): void {
      keptBefore = isKeptEmpty(kept) ? undefined : copyKept(kept);
      if (heard) dropChanged(kept, heard, isLocal);
      else clearKept(kept, isLocal);
      whole = wholeStore && contentView(wholeStore);
    },

    /**
     * After an apply, in its own transaction: a refused input leaves the store's previous
     * cell in place (an invalid write is ignored), and a row, table or values wholly refused
     * leave all of theirs. Storage no longer holds those: they go (or become defaults).
     */
    removeStale(view: StorageView, replaces: 'content' | 'tables' | 'changes'): void {
      if (!refusedInApply.length) return;
      store.transaction(() => {
        for (const [tableOrValueId, rowId, cellId] of refusedInApply)
          if (cellId === undefined) store.delValue(tableOrValueId);
          else store.delCell(tableOrValueId, rowId as Id, cellId);
        if (replaces === 'changes') return;
        for (const t of store.getTableIds())
          for (const r of store.getRowIds(t))
            for (const c of store.getCellIds(t, r))
              if (
                view.cell(t, r, c) === undefined &&
                !hooks.isPendingCell(t, r, c) &&
                whole?.cell(t, r, c) === undefined
              )
                store.delCell(t, r, c);
        if (replaces === 'content')
          for (const v of store.getValueIds())
            if (
              view.value(v) === undefined &&
              !hooks.isPendingValue(v) &&
              whole?.value(v) === undefined
            )
              store.delValue(v);
      });
    },

    endApply(): void {
      keptBefore = undefined;
      whole = undefined;
      refusedInApply.length = 0;
    },

    /** Storage holds nothing now: what it was said to hold is gone, the app's own stays. */
    forgetStored(): void {
      clearKept(kept, isLocal);
    },

    /** While applying: storage's cell was refused here (a default may stand in): not local. */
    isKeptCell: (t: Id, r: Id, c: Id): boolean => keptCell(kept, t, r, c) !== undefined,
    isKeptValue: (v: Id): boolean => kept.values.has(v),

    /** Outside applies: whether this change of a cell is a schema dropping it. */
    dropOfCell: (t: Id, r: Id, c: Id, now: unknown, old: unknown): DropOutcome =>
      refusedOutsideApply
        ? keepDrop(
            dropsNow().cell(t, r, c),
            now,
            old,
            () => schemaDefault(store.getTablesSchemaJson(), t, c),
            (cell) => {
              keepCell(kept, t, r, c, cell);
              keepCell(refusedNow, t, r, c, cell);
            },
          )
        : undefined,
    dropOfValue: (v: Id, now: unknown, old: unknown): DropOutcome =>
      refusedOutsideApply
        ? keepDrop(
            dropsNow().value(v),
            now,
            old,
            () => schemaDefault(store.getValuesSchemaJson(), undefined, v),
            (value) => {
              kept.values.set(v, value);
              refusedNow.values.set(v, value);
            },
          )
        : undefined,

    /**
     * The app wrote a cell: its write wins over the kept one. A row the app deleted (or
     * emptied: a row without cells does not exist) takes its kept cells along; returns
     * their ids, to be deleted in storage too. Other rows' kept cells stay.
     */
    localCellWrite(t: Id, r: Id, c: Id): Id[] {
      if (isKeptEmpty(kept)) return [];
      dropCell(kept, t, r, c);
      return store.hasRow(t, r) ? [] : dropRow(kept, t, r);
    },
    localValueWrite(v: Id): void {
      kept.values.delete(v);
    },

    /** After every transaction: tells what was newly refused, once. */
    finishTransaction(): void {
      refusedOutsideApply = false;
      drops = undefined;
      if (isKeptEmpty(refusedNow)) return;
      const refused = keptContent(refusedNow, keptBefore);
      clearKept(refusedNow);
      if (Object.keys(refused[0]).length || Object.keys(refused[1]).length)
        hooks.report(new PersisterRejectedError(refused));
    },

    stop(): void {
      store.delListener(invalidCellId).delListener(invalidValueId);
    },
  };
};
