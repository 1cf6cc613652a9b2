// Each package README opens as a newcomer needs it: what it is, the install
// line, an example of at most 10 lines that runs as it stands, and where its
// API pages are. The Node examples run here; the browser one runs in
// readme-examples.browser.test.ts.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createServer} from 'remote-server';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {readmeOpening, writeExample} from './support/readmeOpening';

const packages = {
  store: '@x/store',
  persister: '@x/persister',
  'persister-browser': '@x/persister-browser',
  'persister-file': '@x/persister-file',
  'persister-remote': '@x/persister-remote',
  'persister-yjs': '@x/persister-yjs',
};

const cleanUps: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
  vi.restoreAllMocks();
});

/** Runs an example, quietly, and fails on anything it reports as an error. */
const runQuietly = async (file: string) => {
  vi.spyOn(console, 'log').mockImplementation(() => {});
  const errors = vi.spyOn(console, 'error');
  await import(file);
  expect(errors).not.toHaveBeenCalled();
};

describe.each(Object.entries(packages))('packages/%s/README.md', (folder, name) => {
  it('opens with what it is, the install line, a short example and the API pages', () => {
    const opening = readmeOpening(folder);
    expect(opening.title).toBe(`# ${name}`);
    expect(opening.install).toMatch(new RegExp(`^npm install ${name}( |$)`));
    expect(opening.exampleLines).toBeGreaterThan(0);
    expect(opening.exampleLines).toBeLessThanOrEqual(10);
    // TypeDoc's page name for a module: '@' and '/' become '_'.
    expect(opening.apiPage).toBe(`docs/site/modules/${name.replace(/[@/]/g, '_')}.html`);
  });
});

it('the @x/store example runs', async () => {
  await runQuietly(writeExample('store', readmeOpening('store').example));
});

it('the @x/persister example runs', async () => {
  await runQuietly(writeExample('persister', readmeOpening('persister').example));
});

it('the @x/persister-file example runs (in a fresh working folder)', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'x-readme-'));
  const cwd = process.cwd();
  process.chdir(folder);
  cleanUps.push(() => rmSync(folder, {recursive: true, force: true}));
  cleanUps.push(() => process.chdir(cwd));
  await runQuietly(writeExample('persister-file', readmeOpening('persister-file').example));
});

it('the @x/persister-remote example runs (against the reference server)', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'x-readme-'));
  cleanUps.push(() => rmSync(dataDir, {recursive: true, force: true}));
  const server = createServer({dataDir});
  const url = await server.listen(0, '127.0.0.1');
  cleanUps.push(() => server.close());
  const {example} = readmeOpening('persister-remote');
  expect(example).toContain('http://127.0.0.1:8080/');
  // The same server, on the port this test got.
  await runQuietly(writeExample('persister-remote', example.replace('http://127.0.0.1:8080', url)));
  const stored = await (await fetch(`${url}/stores/pets`)).json();
  expect(stored).toEqual([{pets: {fido: {species: 'dog', color: 'brown'}}}, {}]);
});

it('the @x/persister-yjs example runs', async () => {
  await runQuietly(writeExample('persister-yjs', readmeOpening('persister-yjs').example));
});
