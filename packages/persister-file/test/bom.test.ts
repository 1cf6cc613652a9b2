// A data file that starts with a UTF-8 byte order mark (as Windows editors
// write it) is ordinary content: it loads, is not moved aside, and keeps its
// mark when the persister writes it again.
import {readdir, readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {createStore} from '@x/store';
import {afterEach, expect, it} from 'vitest';
import {createFilePersister} from '../src';
import {makeTempFolder, removeTempFolders} from './support/tempFolder';

afterEach(removeTempFolders);

it('loads a file with a leading byte order mark and keeps the mark on save', async () => {
  const folder = await makeTempFolder();
  const path = join(folder, 'pets.json');
  await writeFile(path, '\uFEFF[{"pets":{"fido":{"species":"dog"}}},{}]\r\n', 'utf8');
  const errors: unknown[] = [];
  const store = createStore();
  const persister = createFilePersister(store, path, (error) => errors.push(error));
  await persister.startAutoPersisting();
  expect(store.getContent()).toEqual([{pets: {fido: {species: 'dog'}}}, {}]);
  store.setCell('pets', 'fido', 'color', 'brown');
  await persister.destroy();
  const bytes = await readFile(path);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(JSON.parse(bytes.subarray(3).toString('utf8'))).toEqual([
    {pets: {fido: {species: 'dog', color: 'brown'}}},
    {},
  ]);
  expect(errors).toEqual([]);
  expect((await readdir(folder)).filter((entry) => entry.includes('.corrupt-'))).toEqual([]);
});

it('writes no mark to a file that had none', async () => {
  const folder = await makeTempFolder();
  const path = join(folder, 'pets.json');
  const persister = createFilePersister(createStore().setValue('open', true), path);
  await persister.save();
  expect(await readFile(path, 'utf8')).toBe('[{},{"open":true}]');
});
