// 5. File autosave under a burst: many single-cell transactions back to back.
// Measures the time until the file holds the last change and how many writes
// the burst cost (coalescing), then checks the file equals the store.
import {readFile, stat} from 'node:fs/promises';
import {join} from 'node:path';
import {makeStore, n, rowId, TABLE} from '../data';
import {defineScenario} from '../types';
import {check, sameContent, waitSettled, waitUntil} from '../verify';

export default defineScenario({
  id: '5',
  title: ({transactions, rows}) =>
    `file autosave: ${n(transactions)} single-cell transactions on ${n(rows)} rows`,
  needs: ['createStore', 'createFilePersister'],
  size: {
    full: {transactions: 1_000, rows: 10_000, timeoutMs: 60_000, settleMs: 240_000},
    quick: {transactions: 50, rows: 500, timeoutMs: 15_000, settleMs: 30_000},
  },
  // TinyBase writes the whole file once per transaction: its burst takes minutes to drain.
  fullRuns: {runs: 3, warmup: 0, why: "TinyBase's 1,000 queued writes take minutes to drain"},
  metrics: [
    {key: 'time', label: 'time until the file holds the last change', unit: 'ms'},
    {key: 'settled', label: 'time until every write is done', unit: 'ms'},
    {key: 'writes', label: 'writes', unit: 'writes'},
  ],
  async run(lib, {transactions, rows, timeoutMs, settleMs}, ctx) {
    const file = join(ctx.tmpDir, 'autosave.json');
    const store = makeStore(lib, rows);
    const persister = lib.createFilePersister(store, file, ctx.onIgnoredError);
    await persister.startAutoSave();
    await waitSettled(persister);
    const savesBefore = persister.getStats().saves;

    const lastRow = rowId((transactions - 1) % rows);
    const lastValue = -transactions;
    // Cheap change detection first (stat), parse only when the file changed.
    let seen = '';
    const fileHoldsLast = async () => {
      const {ino, size, mtimeMs} = await stat(file);
      const key = `${ino}:${size}:${mtimeMs}`;
      if (key === seen) return false;
      seen = key;
      try {
        return JSON.parse(await readFile(file, 'utf8'))[0][TABLE][lastRow].n === lastValue;
      } catch {
        return false; // caught between writes of a non-atomic writer: look again
      }
    };

    const start = performance.now();
    for (let k = 0; k < transactions; k++) store.setCell(TABLE, rowId(k % rows), 'n', -(k + 1));
    const done = await waitUntil(fileHoldsLast, {timeoutMs});
    check(done !== undefined, `the file never held the last change (${timeoutMs} ms)`);
    const time = done - start;

    const idle = await waitSettled(persister, settleMs);
    check(idle !== undefined, `the persister did not finish its writes in ${settleMs} ms`);
    const settled = idle - start;
    const writes = persister.getStats().saves - savesBefore;
    await persister.destroy();
    check(
      sameContent(JSON.parse(await readFile(file, 'utf8')), store.getContent()),
      'the file is not equal to the store',
    );
    return {time, settled, writes};
  },
});
