import {mergeConfig} from 'vitest/config';
import shared from '../../vitest.shared.js';

// npm installs from tarballs take seconds each: give them room. One file at a
// time: each installs and builds a lot, and 2 cores are shared.
export default mergeConfig(shared, {
  test: {testTimeout: 180_000, hookTimeout: 300_000, fileParallelism: false},
});
