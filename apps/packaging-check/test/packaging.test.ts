// What a user gets from npm: every package packed, installed from the tarballs
// alone into a fresh project, imported from ESM and CJS, its types resolved, and
// linted by publint and @arethetypeswrong/cli.
import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {type PackedPackage, packAll} from './tarballs';
import {unpack} from './unpack';

const require = createRequire(import.meta.url);

/** What each entry point must export at run time. */
const entryPoints: {[name: string]: {[subpath: string]: string[]}} = {
  '@x/store': {'.': ['createStore']},
  '@x/persister': {
    '.': [
      'createCustomPersister',
      'createIncrementalPersister',
      'validateContent',
      'PersisterConflictError',
    ],
    './contract': ['runPersisterContract'],
  },
  '@x/persister-browser': {
    '.': ['createSessionPersister', 'createLocalPersister', 'createIndexedDbPersister'],
  },
  '@x/persister-file': {'.': ['createFilePersister']},
  '@x/persister-remote': {'.': ['createRemotePersister']},
  '@x/persister-yjs': {'.': ['createYjsPersister']},
};
const backends = Object.keys(entryPoints).filter((name) => name.startsWith('@x/persister-'));

let packed: Map<string, PackedPackage>;
const folders: string[] = [];
const tarball = (name: string) => packed.get(name)!.tarball;

const run = (command: string, args: string[], cwd: string) =>
  execFileSync(command, args, {cwd, stdio: 'pipe', encoding: 'utf8'});

/** A fresh npm project holding one backend and the two core packages, from tarballs only. */
const installBackend = (backend: string) => {
  const project = mkdtempSync(join(tmpdir(), 'x-user-'));
  folders.push(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({name: 'user-app', private: true}));
  // yjs is the yjs backend's peer; fast-check is what a user's own tests bring
  // to run the persister contract suite (@x/persister/contract), an optional peer.
  const extras = ['fast-check@4.10.2', ...(backend === '@x/persister-yjs' ? ['yjs@13.6.33'] : [])];
  run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      tarball('@x/store'),
      tarball('@x/persister'),
      tarball(backend),
      ...extras,
    ],
    project,
  );
  return project;
};

beforeAll(() => {
  packed = packAll();
});

afterAll(() => {
  for (const folder of folders) rmSync(folder, {recursive: true, force: true});
  if (packed) rmSync(join(tarball('@x/store'), '..'), {recursive: true, force: true});
});

describe.each(backends)('%s installed from its tarball', (backend) => {
  let project: string;
  beforeAll(() => {
    project = installBackend(backend);
  });

  it('brings only the core beside it, once, and yjs only with the yjs backend', () => {
    const scoped = readdirSync(join(project, 'node_modules', '@x')).sort();
    expect(scoped).toEqual(['persister', backend.slice(3), 'store'].sort());
    // A nested copy of a core package would put two stores in a user's app.
    for (const name of scoped) {
      expect(existsSync(join(project, 'node_modules', '@x', name, 'node_modules', '@x'))).toBe(
        false,
      );
    }
    expect(existsSync(join(project, 'node_modules', 'yjs'))).toBe(backend === '@x/persister-yjs');
  });

  it('imports from ESM and from CJS with the same exports', () => {
    const names = [backend, '@x/store', '@x/persister'];
    for (const name of names) {
      for (const [subpath, expected] of Object.entries(entryPoints[name])) {
        const specifier = subpath === '.' ? name : `${name}/${subpath.slice(2)}`;
        const probe = `Object.keys(m).filter((k) => k !== 'default').sort().join(',')`;
        const esm = run(
          'node',
          [
            '--input-type=module',
            '-e',
            `const m = await import('${specifier}'); console.log(${probe})`,
          ],
          project,
        ).trim();
        const cjs = run(
          'node',
          ['-e', `const m = require('${specifier}'); console.log(${probe})`],
          project,
        ).trim();
        expect(cjs, specifier).toBe(esm);
        for (const exported of expected) expect(esm.split(','), specifier).toContain(exported);
      }
    }
  });

  it('has types that resolve from ESM and from CJS', () => {
    const [factory] = entryPoints[backend]['.'];
    const code = `import {createStore, type Store} from '@x/store';
import type {Persister} from '@x/persister';
import {${factory}} from '${backend}';
const store: Store = createStore();
export const check: [Store, typeof ${factory}, Persister | undefined] = [store, ${factory}, undefined];
`;
    writeFileSync(join(project, 'check.mts'), code);
    writeFileSync(join(project, 'check.cts'), code);
    const compilerOptions = {
      strict: true,
      noEmit: true,
      module: 'node16',
      moduleResolution: 'node16',
      skipLibCheck: true,
      types: [],
    };
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({compilerOptions, files: ['check.mts', 'check.cts']}),
    );
    run('node', [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], project);
  });
});

describe("the top README's example", () => {
  it('runs as the README says: saved as index.mjs beside the installed backend', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', '..', 'README.md'), 'utf8');
    const example = readme.match(/save this as `index\.mjs`[\s\S]*?```js\n([\s\S]*?)```/)?.[1];
    expect(example).toBeDefined();
    const project = installBackend('@x/persister-file');
    writeFileSync(join(project, 'index.mjs'), example!);
    run('node', ['index.mjs'], project);
    expect(JSON.parse(readFileSync(join(project, 'pets.json'), 'utf8'))).toEqual([
      {pets: {fido: {species: 'dog', color: 'brown'}}},
      {},
    ]);
  });
});

describe('every tarball', () => {
  it.each(Object.keys(entryPoints))('%s passes publint', async (name) => {
    const {publint} = await import('publint');
    const folder = unpack(tarball(name));
    folders.push(folder);
    const {messages} = await publint({pkgDir: folder, strict: true, pack: false});
    expect(messages.filter((message) => message.type === 'error')).toEqual([]);
  });

  it.each(Object.keys(entryPoints))('%s passes @arethetypeswrong/cli', (name) => {
    const attw = join(
      require.resolve('@arethetypeswrong/cli/package.json'),
      '..',
      'dist',
      'index.js',
    );
    let output: string;
    try {
      output = run('node', [attw, tarball(name), '--format', 'json'], tmpdir());
    } catch (error) {
      // attw exits non-zero when it finds problems; its JSON still says which.
      output = (error as {stdout: string}).stdout;
    }
    // attw groups what it finds by kind: no kind at all is a clean bill.
    const {problems} = JSON.parse(output) as {problems?: {[kind: string]: unknown[]}};
    expect(problems ?? {}).toEqual({});
  });
});
