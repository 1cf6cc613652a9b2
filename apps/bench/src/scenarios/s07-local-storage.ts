// 7. Local storage under happy-dom (its Window's localStorage, for both
// libraries): a full save and a full load of 10,000 rows.
import type {Window as HappyWindow} from 'happy-dom';
import {makeStore, n} from '../data';
import {defineScenario} from '../types';
import {check, sameContent} from '../verify';

let window: HappyWindow | undefined;

/** The browser globals the persisters of both libraries look for. */
const browserGlobals = globalThis as unknown as {[name: string]: unknown};

export default defineScenario({
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
    browserGlobals.window = window;
    browserGlobals.localStorage = window.localStorage;
    browserGlobals.sessionStorage = window.sessionStorage;
  },
  async teardown() {
    await window?.happyDOM.close();
  },
  async run(lib, {rows}, ctx) {
    const storage = (window as HappyWindow).localStorage;
    const key = `bench-${ctx.run}`;
    const store = makeStore(lib, rows);
    const persister = lib.createLocalPersister(store, key, ctx.onIgnoredError);
    let start = performance.now();
    await persister.save();
    const save = performance.now() - start;
    await persister.destroy();
    const stored = storage.getItem(key);
    check(stored !== null, 'nothing was written to localStorage');
    check(sameContent(JSON.parse(stored), store.getContent()), 'localStorage != the store');

    const loaded = lib.createStore();
    const loader = lib.createLocalPersister(loaded, key, ctx.onIgnoredError);
    start = performance.now();
    await loader.load();
    const load = performance.now() - start;
    await loader.destroy();
    check(sameContent(loaded.getContent(), store.getContent()), 'the loaded store is not equal');
    storage.removeItem(key);
    return {save, load};
  },
});
