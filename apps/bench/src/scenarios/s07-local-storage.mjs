// 7. Local storage under happy-dom (its Window's localStorage, for both
// libraries): a full save and a full load of 10,000 rows.
import {makeStore, n} from '../data.mjs';
import {check, sameContent} from '../verify.mjs';

let window;

export default {
  id: '7',
  title: ({rows}) => `local storage (happy-dom): save and load of ${n(rows)} rows`,
  needs: ['createStore', 'createLocalPersister'],
  size: {full: {rows: 10_000}, quick: {rows: 500}},
  metrics: [
    {key: 'save', label: 'save', unit: 'ms'},
    {key: 'load', label: 'load', unit: 'ms'},
  ],
  // Browser persisters read `window` when their module loads: globals first.
  async setup() {
    const {Window} = await import('happy-dom');
    window = new Window({url: 'http://localhost:8080/'});
    globalThis.window = window;
    globalThis.localStorage = window.localStorage;
    globalThis.sessionStorage = window.sessionStorage;
  },
  async teardown() {
    await window?.happyDOM.close();
  },
  async run(lib, {rows}, ctx) {
    const key = `bench-${ctx.run}`;
    const store = makeStore(lib, rows);
    const persister = lib.createLocalPersister(store, key, ctx.onIgnoredError);
    let start = performance.now();
    await persister.save();
    const save = performance.now() - start;
    await persister.destroy();
    const stored = window.localStorage.getItem(key);
    check(stored !== null, 'nothing was written to localStorage');
    check(sameContent(JSON.parse(stored), store.getContent()), 'localStorage != the store');

    const loaded = lib.createStore();
    const loader = lib.createLocalPersister(loaded, key, ctx.onIgnoredError);
    start = performance.now();
    await loader.load();
    const load = performance.now() - start;
    await loader.destroy();
    check(sameContent(loaded.getContent(), store.getContent()), 'the loaded store is not equal');
    window.localStorage.removeItem(key);
    return {save, load};
  },
};
