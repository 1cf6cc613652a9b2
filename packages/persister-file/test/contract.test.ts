import {runPersisterContract} from '@x/persister/contract';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {fileHarness} from './support/fileHarness';
import {removeTempFolders} from './support/tempFolder';

afterEach(removeTempFolders);

runPersisterContract(fileHarness, {describe, it, expect, beforeEach, afterEach});
