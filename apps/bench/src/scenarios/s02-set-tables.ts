// 2. Bulk load and bulk read: setTables of many rows, then getTables (a full copy).
import {makeTables, n} from '../data';
import {defineScenario} from '../types';
import {check, sameContent} from '../verify';

export default defineScenario({
  id: '2',
  title: ({rows}) => `setTables ${n(rows)} rows x 5 cells, then getTables`,
  needs: ['createStore'],
  size: {full: {rows: 100_000}, quick: {rows: 2_000}},
  metrics: [{key: 'time', label: 'time', unit: 'ms'}],
  async run(lib, {rows}) {
    const tables = makeTables(rows);
    const store = lib.createStore();

    const start = performance.now();
    store.setTables(tables);
    const read = store.getTables();
    const time = performance.now() - start;

    check(Object.keys(read.t ?? {}).length === rows, 'getTables does not hold every row');
    check(sameContent(read, tables), 'getTables is not equal to what was set');
    return {time};
  },
});
