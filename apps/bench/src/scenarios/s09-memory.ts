// 9. Memory: heap retained by a store holding 100,000 rows x 5 cells (the
// input object is garbage by the time the heap is measured). Needs --expose-gc.
import {makeStore, n, TABLE} from '../data';
import {defineScenario} from '../types';
import {check} from '../verify';

const settledHeap = () => {
  for (let i = 0; i < 3; i++) globalThis.gc?.();
  return process.memoryUsage().heapUsed;
};

export default defineScenario({
  id: '9',
  title: ({rows}) => `memory: heap growth for ${n(rows)} rows x 5 cells`,
  needs: ['createStore'],
  size: {full: {rows: 100_000}, quick: {rows: 2_000}},
  metrics: [{key: 'heap', label: 'heap growth', unit: 'MB'}],
  async run(lib, {rows}) {
    check(typeof globalThis.gc === 'function', 'run node with --expose-gc');
    const before = settledHeap();
    const store = makeStore(lib, rows);
    const after = settledHeap();
    check(store.getRowCount(TABLE) === rows, 'the store does not hold every row');
    return {heap: (after - before) / 1024 / 1024};
  },
});
