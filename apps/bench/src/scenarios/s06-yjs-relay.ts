// 6. Yjs: store A autosaves to doc A; every doc A update is relayed (in order,
// asynchronously, as a transport would) to doc B; store B autoloads from doc B.
// Measures the time from the start of a burst of transactions on A until B
// equals A, with a timeout after which the result is "never converged".
import * as Y from 'yjs';
import {makeStore, n, rowId, TABLE} from '../data';
import {defineScenario} from '../types';
import {check, sameContent, waitSettled, waitUntil} from '../verify';

export default defineScenario({
  id: '6',
  title: ({transactions}) =>
    `Yjs: ${n(transactions)} transactions on A, relayed doc A -> doc B, until B equals A`,
  needs: ['createStore', 'createYjsPersister'],
  size: {
    full: {transactions: 1_000, rows: 1_000, timeoutMs: 60_000},
    quick: {transactions: 50, rows: 100, timeoutMs: 15_000},
  },
  metrics: [{key: 'time', label: 'time until B equals A', unit: 'ms'}],
  async run(lib, {transactions, rows, timeoutMs}, ctx) {
    const docA = new Y.Doc();
    const docB = new Y.Doc();
    docA.on('update', (update) => setImmediate(() => Y.applyUpdate(docB, update, 'relay')));

    const storeA = makeStore(lib, rows);
    const storeB = lib.createStore();
    const persisterA = lib.createYjsPersister(storeA, docA, undefined, ctx.onIgnoredError);
    const persisterB = lib.createYjsPersister(storeB, docB, undefined, ctx.onIgnoredError);
    await persisterB.startAutoLoad();
    await persisterA.startAutoSave();
    const equal = () => sameContent(storeA.getContent(), storeB.getContent());
    const synced = await waitUntil(equal, {timeoutMs, everyMs: 2});
    check(synced !== undefined, 'B never received the initial content of A');

    const lastRow = rowId((transactions - 1) % rows);
    const lastValue = -transactions;
    const start = performance.now();
    for (let k = 0; k < transactions; k++) {
      // Mixed work: update a cell, and every tenth transaction add a row.
      storeA.transaction(() => {
        storeA.setCell(TABLE, rowId(k % rows), 'n', -(k + 1));
        if (k % 10 === 0) storeA.setRow(TABLE, `new${k}`, {n: k, s: 'added'});
      });
    }
    // Cheap test first (B has the last write), the full comparison only then.
    const converged = await waitUntil(
      () => storeB.getCell(TABLE, lastRow, 'n') === lastValue && equal(),
      {timeoutMs},
    );
    check(converged !== undefined, `never converged (B != A after ${timeoutMs} ms)`);
    const time = converged - start;

    await waitSettled(persisterA);
    await persisterA.destroy();
    await persisterB.destroy();
    check(equal(), 'B diverged from A after converging');
    return {time};
  },
});
