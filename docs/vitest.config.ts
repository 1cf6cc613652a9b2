import {mergeConfig} from 'vitest/config';
import shared from '../vitest.shared.js';

// TypeDoc reads every package's source in the API reference test: give it room.
export default mergeConfig(shared, {test: {testTimeout: 120_000}});
