// 3. One big transaction, then reading its net changes in a did-finish
// listener (what an incremental persister or a sync layer does after each transaction).
import type {Changes} from '@x/store';
import {makeStore, n, rowId, TABLE} from '../data';
import {defineScenario} from '../types';
import {check} from '../verify';

export default defineScenario({
  id: '3',
  title: ({cells}) => `one transaction changing ${n(cells)} cells, then getTransactionChanges`,
  needs: ['createStore'],
  size: {full: {cells: 10_000}, quick: {cells: 500}},
  metrics: [{key: 'time', label: 'time', unit: 'ms'}],
  async run(lib, {cells}) {
    const store = makeStore(lib, cells);
    let changes: Changes | undefined;
    store.addDidFinishTransactionListener(() => {
      changes = store.getTransactionChanges();
    });

    const start = performance.now();
    store.transaction(() => {
      for (let i = 0; i < cells; i++) store.setCell(TABLE, rowId(i), 'n', i + 0.5);
    });
    const time = performance.now() - start;

    const changedRows: NonNullable<Changes[0][string]> = changes?.[0]?.[TABLE] ?? {};
    check(Object.keys(changedRows).length === cells, 'changes do not list every changed row');
    for (let i = 0; i < cells; i++) {
      const row = changedRows[rowId(i)];
      check(row?.n === i + 0.5, `changes miss the new value of row ${i}`);
      check(Object.keys(row ?? {}).length === 1, `changes list unchanged cells of row ${i}`);
    }
    return {time};
  },
});
