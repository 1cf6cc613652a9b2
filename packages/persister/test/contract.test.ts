// The contract suite, run here against two in-memory storages.
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {runPersisterContract} from '../src/contract';
import {jsonStringHarness, rowMapHarness} from './helpers/memory-harnesses';

runPersisterContract(jsonStringHarness, {describe, it, expect, beforeEach, afterEach});
runPersisterContract(rowMapHarness, {describe, it, expect});
