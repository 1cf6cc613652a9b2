import {mergeConfig} from 'vitest/config';
import shared from '../../vitest.shared.js';

// npm installs from tarballs take seconds each: give them room.
export default mergeConfig(shared, {test: {testTimeout: 180_000, hookTimeout: 300_000}});
