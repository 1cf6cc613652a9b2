// The example of seeds/custom-persistence.md as a TypeScript user writes it
// under `strict`: the seed's code unchanged but for its imports and a type on
// each of its two `let`s. The package's typecheck (`tsc --noEmit`, strict, part
// of `pnpm test`) is the real test here: `setPersisted` returning the assigned
// string (`async (getContent) => (storeJson = ...)`, a `Promise<string>`) must
// be accepted. Running it checks that it still prints what the seed says.
import {createStore} from '@x/store';
import {afterEach, expect, it, vi} from 'vitest';
import {createCustomPersister} from '../src/index';

afterEach(() => {
  vi.restoreAllMocks();
});

it('type-checks under strict and prints what the seed says', async () => {
  const printed: unknown[][] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    printed.push(args);
  });

  // --- the seed ---------------------------------------------------------
  const store = createStore().setTables({pets: {fido: {species: 'dog'}}});
  let storeJson!: string;
  let interval: ReturnType<typeof setInterval>;

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
