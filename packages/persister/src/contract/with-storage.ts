// One fresh storage per test, and every persister made on it destroyed after
// the test, whatever happened, so nothing keeps running.
import type {Persister} from '../types';
import type {ContractHarness, ContractStorage} from './harness';

export type Track = <P extends Persister>(persister: P) => P;

export const withStorage = async (
  harness: ContractHarness,
  body: (storage: ContractStorage, track: Track) => Promise<void>,
): Promise<void> => {
  const storage = await harness.createStorage();
  const persisters: Persister[] = [];
  try {
    await body(storage, (persister) => {
      persisters.push(persister);
      return persister;
    });
  } finally {
    for (const persister of persisters) await persister.destroy();
    await storage.destroy();
  }
};

/** How long an external write may take to reach an autoloading persister. */
export const autoLoadTimeout = (harness: ContractHarness): number =>
  harness.autoLoadTimeoutMs ?? 3000;
