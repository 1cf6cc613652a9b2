// 10. Bundle size: esbuild (bundle + minify, ESM) of tiny app entries, gzipped
// with zlib at level 9. Peers a user installs anyway (yjs) are external for
// both libraries. Deterministic, so one run.
import {fileURLToPath} from 'node:url';
import {gzipSync} from 'node:zlib';
import {build} from 'esbuild';
import {LIBS, loadLib} from '../libs.mjs';
import {NotReady} from '../verify.mjs';

const benchDir = fileURLToPath(new URL('../..', import.meta.url));

// Each entry: the functions an app imports, and the platform it bundles for.
const ENTRIES = [
  {key: 'store', label: 'createStore only', fns: ['createStore']},
  {key: 'custom', label: 'store + createCustomPersister', fns: ['createCustomPersister']},
  {key: 'file', label: 'store + file persister', fns: ['createFilePersister'], platform: 'node'},
  {key: 'local', label: 'store + local storage persister', fns: ['createLocalPersister']},
  {key: 'indexedDb', label: 'store + IndexedDB persister', fns: ['createIndexedDbPersister']},
  {key: 'remote', label: 'store + remote persister', fns: ['createRemotePersister']},
  {key: 'yjs', label: 'store + Yjs persister (yjs external)', fns: ['createYjsPersister']},
];

/** The entry file's text: re-exporting keeps the imports alive through tree shaking. */
const entryText = (libName, fns) =>
  ['createStore', ...fns.filter((fn) => fn !== 'createStore')]
    .map((fn) => `export {${fn}} from '${LIBS[libName].modules[fn]}';`)
    .join('\n');

export const gzippedSize = async (contents, platform = 'browser') => {
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
  return gzipSync(result.outputFiles[0].contents, {level: 9}).length;
};

export default {
  id: '10',
  title: () => 'bundle size (esbuild, minified, gzipped)',
  needs: [],
  deterministic: true,
  size: {full: {}, quick: {}},
  metrics: ENTRIES.map(({key, label}) => ({key, label, unit: 'B'})),
  async run(lib) {
    const sizes = {};
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
};
