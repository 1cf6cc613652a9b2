import {defineConfig} from 'tsup';

// Two programs: the CLI (`x-todo`) and the scripted tour (`pnpm demo`). The @x packages
// stay imports of the built workspace packages, as a user's app would have them.
export default defineConfig({
  entry: {cli: 'src/cli.ts', demo: 'src/demo.ts'},
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  clean: true,
  sourcemap: true,
  external: ['@x/store', '@x/persister', '@x/persister-file'],
});
