// `await save()` and `await destroy()` resolve after earlier changes are stored.
import {createStore} from '@x/store';
import type {ContractHarness} from '../harness';
import type {ContractTestApi} from '../test-api';
import {withStorage} from '../with-storage';

export const durabilityCases = (harness: ContractHarness, {it, expect}: ContractTestApi): void => {
  it('has every earlier change in storage when save() resolves', () =>
    withStorage(harness, async (storage, track) => {
      const store = createStore();
      const persister = track(await storage.createPersister(store));
      await persister.startAutoSave();
      for (let index = 0; index < 20; index++) store.setCell('t', `r${index}`, 'n', index);
      store.setValue('last', 'yes');
      await persister.save();
      expect(await storage.read()).toEqual(store.getContent());
    }));

  it('has every earlier change in storage when destroy() resolves', () =>
    withStorage(harness, async (storage, track) => {
      const store = createStore();
      const persister = track(await storage.createPersister(store));
      await persister.startAutoPersisting();
      for (let index = 0; index < 20; index++) store.setCell('t', `r${index}`, 'n', index);
      store.delRow('t', 'r3');
      await persister.destroy();
      expect(await storage.read()).toEqual(store.getContent());
      const reader = createStore();
      await track(await storage.createPersister(reader)).load();
      expect(reader.getContent()).toEqual(store.getContent());
    }));
};
