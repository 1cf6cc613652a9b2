import {mergeConfig} from 'vitest/config';
import shared from '../../vitest.shared.js';

// The quick benchmark starts about twenty child processes: give it room.
export default mergeConfig(shared, {test: {testTimeout: 180_000, hookTimeout: 60_000}});
