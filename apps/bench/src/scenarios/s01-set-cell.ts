// 1. Many single setCell calls (each its own transaction) on a table that has
// a wildcard cell listener and a table listener: the cost of the hot write path
// plus listener dispatch.
import {makeStore, n, rowId, TABLE} from '../data';
import {defineScenario} from '../types';
import {check} from '../verify';

export default defineScenario({
  id: '1',
  title: ({calls, rows}) => `setCell x${n(calls)} on ${n(rows)} rows, cell + table listener`,
  needs: ['createStore'],
  size: {full: {calls: 100_000, rows: 1_000}, quick: {calls: 2_000, rows: 100}},
  metrics: [{key: 'time', label: 'time', unit: 'ms'}],
  async run(lib, {calls, rows}) {
    const store = makeStore(lib, rows);
    let cellCalls = 0;
    let tableCalls = 0;
    store.addCellListener(TABLE, null, null, () => cellCalls++);
    store.addTableListener(TABLE, () => tableCalls++);

    const start = performance.now();
    for (let k = 0; k < calls; k++) store.setCell(TABLE, rowId(k % rows), 'n', rows + k);
    const time = performance.now() - start;

    check(cellCalls === calls, `cell listener heard ${cellCalls} of ${calls} changes`);
    check(tableCalls === calls, `table listener heard ${tableCalls} of ${calls} changes`);
    for (let r = 0; r < rows; r++) {
      // The last k written to row r is the largest k < calls with k % rows == r.
      const last = rows + r + rows * Math.floor((calls - 1 - r) / rows);
      check(store.getCell(TABLE, rowId(r), 'n') === last, `row ${r} does not hold its last write`);
    }
    return {time};
  },
});
