// Whatever a store holds comes back unchanged from storage.
import {createStore} from '@x/store';
import fc from 'fast-check';
import {arbitraryContent} from '../arbitrary-content';
import type {ContractHarness} from '../harness';
import type {ContractTestApi} from '../test-api';
import {withStorage} from '../with-storage';

export const roundTripCases = (harness: ContractHarness, {it, expect}: ContractTestApi): void => {
  // One fresh storage per run: a first save() to storage that another writer
  // filled is a backend's to refuse (the remote sends If-None-Match: *).
  it('saves and loads any content unchanged (property)', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryContent, (content) =>
        withStorage(harness, async (storage, track) => {
          const source = createStore().setContent(content);
          const expected = source.getContent();
          await track(await storage.createPersister(source)).save();
          expect(await storage.read()).toEqual(expected);
          const target = createStore().setTables({stale: {row: {cell: 1}}});
          await track(await storage.createPersister(target)).load();
          expect(target.getContent()).toEqual(expected);
        }),
      ),
      {numRuns: 15},
    );
  });

  it('resolves every async method to the persister and is idle after it', () =>
    withStorage(harness, async (storage, track) => {
      const store = createStore().setValue('open', true);
      const persister = track(await storage.createPersister(store));
      expect(await persister.save()).toBe(persister);
      expect(await persister.load()).toBe(persister);
      expect(await persister.schedule(async () => {})).toBe(persister);
      expect(await persister.startAutoPersisting()).toBe(persister);
      expect(persister.getStatus()).toBe(0);
      expect(persister.getStore()).toBe(store);
      expect(await persister.stopAutoPersisting()).toBe(persister);
      expect(await persister.destroy()).toBe(persister);
    }));
};
