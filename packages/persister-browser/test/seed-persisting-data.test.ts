// @vitest-environment happy-dom
// Every example of seeds/persisting-data.md, unchanged but for imports. Each
// `// ...` of the seed (time passing) becomes `await waitIdle(persister)`, and
// the seed's StorageEvent comment becomes that event, dispatched in this window
// as the browser would for another tab (happy-dom fires no storage events).
// console.log is captured so the exact strings the seed shows are compared.
import {createStore} from '@x/store';
import {afterEach, beforeEach, expect, it, vi} from 'vitest';
import {createSessionPersister} from '../src';
import {waitIdle} from './helpers/waitIdle';

let logged: unknown[];
beforeEach(() => {
  logged = [];
  vi.spyOn(console, 'log').mockImplementation((value: unknown) => {
    logged.push(value);
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  sessionStorage.clear();
});

it('runs the seed examples in order and logs exactly what the seed shows', async () => {
  // Persister Operations
  const store = createStore()
    .setValues({employees: 3})
    .setTables({pets: {fido: {species: 'dog'}}});
  const persister = createSessionPersister(store, 'petStore');

  await persister.save();
  console.log(sessionStorage.getItem('petStore'));
  // -> '[{"pets":{"fido":{"species":"dog"}}},{"employees":3}]'

  sessionStorage.setItem('petStore', '[{"pets":{"toto":{"species":"dog"}}},{"employees":4}]');
  await persister.load();
  console.log(store.getTables());
  // -> {pets: {toto: {species: 'dog'}}}
  console.log(store.getValues());
  // -> {employees: 4}

  sessionStorage.clear();

  // Automatic Loading and Saving
  await persister.startAutoLoad({pets: {fido: {species: 'dog'}}});
  await persister.startAutoSave();

  store.delValues().setTables({pets: {felix: {species: 'cat'}}});
  await waitIdle(persister); // ...
  console.log(sessionStorage.getItem('petStore'));
  // -> '[{"pets":{"felix":{"species":"cat"}}},{}]'

  sessionStorage.setItem('petStore', '[{"pets":{"toto":{"species":"dog"}}},{}]');
  // -> StorageEvent('storage', {storageArea: sessionStorage, key: 'petStore'})
  window.dispatchEvent(new StorageEvent('storage', {storageArea: sessionStorage, key: 'petStore'}));
  await waitIdle(persister); // ...
  console.log(store.getTables());
  // -> {pets: {toto: {species: "dog"}}}

  persister.destroy();
  sessionStorage.clear();

  expect(logged).toStrictEqual([
    '[{"pets":{"fido":{"species":"dog"}}},{"employees":3}]',
    {pets: {toto: {species: 'dog'}}},
    {employees: 4},
    '[{"pets":{"felix":{"species":"cat"}}},{}]',
    {pets: {toto: {species: 'dog'}}},
  ]);
});

it('startAutoLoad applies the default tables when session storage is empty', async () => {
  const store = createStore();
  const persister = createSessionPersister(store, 'petStore');
  await persister.startAutoLoad({pets: {fido: {species: 'dog'}}});
  expect(store.getTables()).toStrictEqual({pets: {fido: {species: 'dog'}}});
  await persister.destroy();
});
