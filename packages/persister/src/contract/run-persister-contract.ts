// The persister contract: every guarantee of SPEC.md §3 that any backend can
// show, run by each backend against its own storage through a harness.
import {automaticCases} from './cases/automatic';
import {corruptDataCases} from './cases/corrupt-data';
import {durabilityCases} from './cases/durability';
import {initialContentCases} from './cases/initial-content';
import {roundTripCases} from './cases/round-trip';
import {schemaRefusedCases} from './cases/schema-refused';
import {seedCases} from './cases/seeds';
import {hasTwoWriters, twoWriterCases} from './cases/two-writers';
import {versionCases} from './cases/versions';
import type {ContractHarness} from './harness';
import type {ContractTestApi} from './test-api';

/**
 * Registers the contract suite for one backend. Call it at the top level of a
 * test file with the test runner's own functions (nothing here imports one).
 *
 * @example
 * ```ts
 * import {describe, expect, it} from 'vitest';
 * import {runPersisterContract} from '@x/persister/contract';
 *
 * runPersisterContract(
 *   {
 *     name: 'file',
 *     createStorage: async () => {
 *       const dir = await mkdtemp(join(tmpdir(), 'x-'));
 *       const path = join(dir, 'store.json');
 *       return {
 *         createPersister: (store, onIgnoredError) => createFilePersister(store, path, onIgnoredError),
 *         read: async () => JSON.parse(await readFile(path, 'utf8').catch(() => 'null')) ?? undefined,
 *         write: (content) => writeFile(path, JSON.stringify(content)),
 *         destroy: () => rm(dir, {recursive: true}),
 *       };
 *     },
 *   },
 *   {describe, it, expect},
 * );
 * ```
 */
export const runPersisterContract = (harness: ContractHarness, api: ContractTestApi): void => {
  api.describe(`persister contract: ${harness.name}`, () => {
    api.describe('round trip', () => roundTripCases(harness, api));
    api.describe('initial content', () => initialContentCases(harness, api));
    api.describe('autosave and autoload', () => automaticCases(harness, api));
    api.describe('durability', () => durabilityCases(harness, api));
    api.describe('unreadable data', () => corruptDataCases(harness, api));
    api.describe('seed examples', () => seedCases(harness, api));
    api.describe('data the schema refuses', () => schemaRefusedCases(harness, api));
    api.describe('versions and migrations', () => versionCases(harness, api));
    if (hasTwoWriters(harness))
      api.describe('two writers on one storage', () => twoWriterCases(harness, api));
  });
};
