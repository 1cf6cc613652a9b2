// 10. Bundle size: esbuild (bundle + minify, ESM) of tiny app entries, gzipped
// with zlib at level 9. Peers a user installs anyway (yjs) are external for
// both libraries. Deterministic, so one run.
import {fileURLToPath} from 'node:url';
import {gzipSync} from 'node:zlib';
import {build, type Platform} from 'esbuild';
import {LIBS, loadLib} from '../libs';
import {defineScenario, type Figures, type FnName, type LibName, type Metric} from '../types';
import {NotReady} from '../verify';

// Scenarios are bundled into dist/child.js: the app's folder is one up.
const benchDir = fileURLToPath(new URL('..', import.meta.url));

// Each entry: the functions an app imports, and the platform it bundles for.
const ENTRIES: {key: string; label: string; fns: FnName[]; platform?: Platform}[] = [
  {key: 'store', label: 'createStore only', fns: ['createStore']},
  {key: 'custom', label: 'store + createCustomPersister', fns: ['createCustomPersister']},
  {key: 'file', label: 'store + file persister', fns: ['createFilePersister'], platform: 'node'},
  {key: 'local', label: 'store + local storage persister', fns: ['createLocalPersister']},
  {key: 'indexedDb', label: 'store + IndexedDB persister', fns: ['createIndexedDbPersister']},
  {key: 'remote', label: 'store + remote persister', fns: ['createRemotePersister']},
  {key: 'yjs', label: 'store + Yjs persister (yjs external)', fns: ['createYjsPersister']},
];

/** The entry file's text: re-exporting keeps the imports alive through tree shaking. */
const entryText = (libName: LibName, fns: FnName[]): string =>
  (['createStore', ...fns.filter((fn) => fn !== 'createStore')] as FnName[])
    .map((fn) => `export {${fn}} from '${LIBS[libName].modules[fn]}';`)
    .join('\n');

export const gzippedSize = async (
  contents: string,
  platform: Platform = 'browser',
): Promise<number> => {
  const result = await build({
    stdin: {contents, resolveDir: benchDir, loader: 'js', sourcefile: 'entry.js'},
    bundle: true,
    minify: true,
    format: 'esm',
    platform,
    target: 'es2022',
    external: ['yjs'],
    write: false,
    logLevel: 'silent',
  });
  const [output] = result.outputFiles ?? [];
  if (!output) throw new Error('esbuild wrote nothing');
  return gzipSync(output.contents, {level: 9}).length;
};

export default defineScenario({
  id: '10',
  title: () => 'bundle size (esbuild, minified, gzipped)',
  needs: [],
  deterministic: true,
  size: {full: {}, quick: {}},
  metrics: ENTRIES.map(({key, label}): Metric => ({key, label, unit: 'B'})),
  async run(lib) {
    const sizes: Figures = {};
    for (const {key, fns, platform} of ENTRIES) {
      try {
        // A package that does not export the function yet is not measured: esbuild
        // would happily bundle its empty module into a few bytes.
        await loadLib(lib.name, ['createStore', ...fns]);
        sizes[key] = await gzippedSize(entryText(lib.name, fns), platform);
      } catch (error) {
        if (!(error instanceof NotReady)) throw error;
        sizes[key] = {notReady: error.message};
      }
    }
    return sizes;
  },
});
