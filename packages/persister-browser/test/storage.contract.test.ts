// @vitest-environment happy-dom
// The shared persister contract, run against session and local storage.
import {runPersisterContract} from '@x/persister/contract';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {createLocalPersister, createSessionPersister} from '../src';
import {createStorageHarness} from './helpers/storageHarness';

runPersisterContract(
  createStorageHarness('sessionStorage', () => sessionStorage, createSessionPersister),
  {describe, it, expect, beforeEach, afterEach},
);
runPersisterContract(
  createStorageHarness('localStorage', () => localStorage, createLocalPersister),
  {describe, it, expect, beforeEach, afterEach},
);
