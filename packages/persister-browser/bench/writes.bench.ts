// Cost of a one-cell autosave against a full save, for a 5,000-row store, on
// fake-indexeddb in Node: IndexedDB work follows what changed, not store size.
// Run: pnpm --filter @x/persister-browser bench
import 'fake-indexeddb/auto';
import {createStore, type Row} from '@x/store';
import {bench, describe} from 'vitest';
import {createIndexedDbPersister} from '../src';

const ROWS = 5000;
const rows: {[rowId: string]: Row} = {};
for (let index = 0; index < ROWS; index++) {
  rows[`r${index}`] = {text: `todo ${index}`, done: index % 2 === 0, created: index};
}

const store = createStore().setTables({todos: rows});
const persister = createIndexedDbPersister(store, 'bench-writes');
let counter = 0;

describe(`IndexedDB (fake-indexeddb), ${ROWS} rows`, () => {
  bench(
    'one-cell change, incremental save (one row put)',
    async () => {
      store.setCell('todos', 'r42', 'created', ++counter);
      // save() would be a full save; autosave writes only what changed.
      await new Promise<void>((resolve) => {
        const id = persister.addStatusListener((_, status) => {
          if (status === 0) {
            persister.delListener(id);
            resolve();
          }
        });
      });
    },
    {
      setup: async () => {
        await persister.startAutoSave();
      },
      iterations: 200,
    },
  );

  bench(
    'full save (one transaction: clear + every row)',
    async () => {
      await persister.save();
    },
    {iterations: 10},
  );
});
