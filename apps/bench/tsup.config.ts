import {defineConfig} from 'tsup';

// Three entry points, each a plain Node ESM file in dist/. The libraries under
// test stay imports (never bundled in): each is loaded from its own package.
export default defineConfig({
  entry: {
    run: 'src/run.ts',
    child: 'src/child.ts',
    'remote-server-process': 'src/remote-server-process.ts',
  },
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outDir: 'dist',
  clean: true,
  splitting: false,
  skipNodeModulesBundle: true,
  silent: true,
});
