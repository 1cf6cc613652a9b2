// Where each library keeps each function a scenario may need. Both sides are
// imported from their published entry points (our packages' built dist/,
// TinyBase's npm build), exactly as an app would import them.
import type {FnName, Lib, LibName} from './types';
import {NotReady} from './verify';

export const LIBS: {[name in LibName]: {label: string; modules: {[fn in FnName]?: string}}} = {
  x: {
    label: '@x',
    modules: {
      createStore: '@x/store',
      createCustomPersister: '@x/persister',
      createFilePersister: '@x/persister-file',
      createLocalPersister: '@x/persister-browser',
      createSessionPersister: '@x/persister-browser',
      createIndexedDbPersister: '@x/persister-browser',
      createRemotePersister: '@x/persister-remote',
      createYjsPersister: '@x/persister-yjs',
      createServer: 'remote-server',
    },
  },
  tinybase: {
    label: 'TinyBase',
    modules: {
      createStore: 'tinybase/store',
      createCustomPersister: 'tinybase/persisters',
      createFilePersister: 'tinybase/persisters/persister-file',
      createLocalPersister: 'tinybase/persisters/persister-browser',
      createSessionPersister: 'tinybase/persisters/persister-browser',
      createIndexedDbPersister: 'tinybase/persisters/persister-indexed-db',
      createRemotePersister: 'tinybase/persisters/persister-remote',
      createYjsPersister: 'tinybase/persisters/persister-yjs',
    },
  },
};

export const LIB_NAMES = Object.keys(LIBS) as LibName[];

const firstLine = (error: unknown): string =>
  String((error as Error)?.message ?? error).split('\n')[0];

/**
 * Imports the functions a scenario needs from one library. A module that is
 * missing, fails to import, or does not export the function yet makes the
 * whole scenario "not ready" for that library (never a fake figure). Only the
 * functions in `needs` are present on the result: each scenario lists what it calls.
 */
export const loadLib = async (libName: LibName, needs: FnName[]): Promise<Lib> => {
  const {label, modules} = LIBS[libName];
  const lib: {[key: string]: unknown} = {name: libName};
  for (const fn of needs) {
    const specifier = modules[fn];
    if (specifier === undefined) throw new NotReady(`${label} has no ${fn}`);
    let module: {[name: string]: unknown};
    try {
      module = await import(specifier);
    } catch (error) {
      throw new NotReady(`${specifier} does not import: ${firstLine(error)}`);
    }
    if (typeof module[fn] !== 'function') {
      throw new NotReady(`${specifier} does not export ${fn} yet`);
    }
    lib[fn] = module[fn];
  }
  return lib as Lib;
};
