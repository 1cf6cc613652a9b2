// @vitest-environment happy-dom
// The shared persister contract, run against session and local storage, with
// persisters in two tabs that share the storage area (helpers/tabs.ts).
import {runPersisterContract} from '@x/persister/contract';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {createStorageHarness} from './helpers/storageHarness';

runPersisterContract(
  createStorageHarness('sessionStorage', () => sessionStorage),
  {describe, it, expect, beforeEach, afterEach},
);
runPersisterContract(
  createStorageHarness('localStorage', () => localStorage),
  {describe, it, expect, beforeEach, afterEach},
);
