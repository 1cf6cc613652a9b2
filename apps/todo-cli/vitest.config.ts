// The shared setup, plus one step: the tests run the CLI as users do (dist/cli.js),
// so they build it from the current source first.
import {mergeConfig} from 'vitest/config';
import shared from '../../vitest.shared.js';

export default mergeConfig(shared, {test: {globalSetup: ['./test/support/buildCli.ts']}});
