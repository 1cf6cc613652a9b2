// One vitest setup for every package: the JSON report is what scripts/run-tests.mjs
// adds up into the closing "N passed, N failed" line, and turbo caches it.
import {defineConfig} from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', ['json', {outputFile: 'test-results/vitest.json'}]],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
