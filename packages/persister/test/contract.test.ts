// The contract suite, run here against two in-memory storages.
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {runPersisterContract} from '../src/contract';
import {jsonStringHarness, rowMapHarness} from './helpers/memory-harnesses';

runPersisterContract(jsonStringHarness, {describe, it, expect, beforeEach, afterEach});
runPersisterContract(rowMapHarness, {describe, it, expect});

describe('the contract entry', () => {
  it('imports no test runner: backends pass their own functions in', async () => {
    const {readdir, readFile} = await import('node:fs/promises');
    const root = new URL('../src/', import.meta.url);
    const files = (await readdir(root, {recursive: true})).filter(
      (file) => file.endsWith('.ts') && (file.startsWith('contract') || file === 'index.ts'),
    );
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const source = await readFile(new URL(file, root), 'utf8');
      // Only real import statements count, not the usage example in the TSDoc.
      expect(source).not.toMatch(/^\s*import[^\n]*['"](vitest|jest|@jest\/globals|mocha)['"]/m);
    }
  });
});
