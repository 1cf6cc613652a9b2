// The shared setup; the end-to-end tests start a browser and a server, so they
// get more time than unit tests.
import {defineConfig, mergeConfig} from 'vitest/config';
import shared from '../../vitest.shared.js';

export default mergeConfig(
  shared,
  defineConfig({test: {testTimeout: 60_000, hookTimeout: 60_000, fileParallelism: false}}),
);
