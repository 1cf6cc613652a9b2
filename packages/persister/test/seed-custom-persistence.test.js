// The example of seeds/custom-persistence.md runs unchanged except for its
// imports (plain JS, as in the seed) and prints exactly what the seed says.
import {createStore} from '@x/store';
import {afterEach, expect, it, vi} from 'vitest';
import {createCustomPersister} from '../src/index';

afterEach(() => {
  vi.restoreAllMocks();
});

it('runs the custom-persistence seed and prints what it says', async () => {
  const printed = [];
  vi.spyOn(console, 'log').mockImplementation((...args) => {
    printed.push(args);
  });

  // --- the seed ---------------------------------------------------------
  const store = createStore().setTables({pets: {fido: {species: 'dog'}}});
  let storeJson;
  let interval;

  const persister = createCustomPersister(
    store,
    async () => {
      try {
        return JSON.parse(storeJson);
      } catch {}
    },
    async (getContent) => (storeJson = JSON.stringify(getContent())),
    (listener) => (interval = setInterval(listener, 1000)),
    () => clearInterval(interval),
  );

  await persister.save();
  console.log(storeJson);
  // -> '[{"pets":{"fido":{"species":"dog"}}},{}]'

  storeJson = '[{"pets":{"fido":{"species":"dog","color":"brown"}}},{}]';
  await persister.load();

  console.log(store.getTables());
  // -> {pets: {fido: {species: 'dog', color: 'brown'}}}

  persister.destroy();
  // --- end of the seed ----------------------------------------------------

  expect(printed).toEqual([
    ['[{"pets":{"fido":{"species":"dog"}}},{}]'],
    [{pets: {fido: {species: 'dog', color: 'brown'}}}],
  ]);
});
