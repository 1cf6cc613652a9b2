// The shared persister contract, run against IndexedDB (fake-indexeddb, a real
// in-memory implementation of the IndexedDB API, in Node with its BroadcastChannel).
import 'fake-indexeddb/auto';
import {runPersisterContract} from '@x/persister/contract';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {idbHarness} from './helpers/idbHarness';

runPersisterContract(idbHarness, {describe, it, expect, beforeEach, afterEach});
