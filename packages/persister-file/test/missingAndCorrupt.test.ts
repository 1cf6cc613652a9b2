// A missing file is "nothing persisted"; an unreadable one is reported, left alone by
// loads, and kept as <file>.corrupt-<time> by the first save that would replace it.
import {readdir, readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {createStore} from '@x/store';
import {afterEach, describe, expect, it} from 'vitest';
import {createFilePersister, FileMovedAsideError, UnreadableFileError} from '../src';
import {makeTempFolder, removeTempFolders} from './support/tempFolder';

afterEach(removeTempFolders);

const CORRUPT_TEXTS = {
  'broken JSON': '[{"pets": {"fido": {"species": "dog"}}}, {"open',
  'an object instead of [tables, values]': '{"pets": {"fido": {"species": "dog"}}}',
  'a row that is an array': '[{"pets": {"fido": ["dog"]}}, {}]',
  'a bare number': '42',
};

describe('a missing file', () => {
  it('is nothing persisted: initial content applies, no error, no file created', async () => {
    const folder = await makeTempFolder();
    const path = join(folder, 'pets.json');
    const store = createStore();
    const errors: unknown[] = [];
    const persister = createFilePersister(store, path, (error) => errors.push(error));
    await persister.load({pets: {fido: {species: 'dog'}}});
    expect(store.getTables()).toEqual({pets: {fido: {species: 'dog'}}});
    expect(errors).toEqual([]);
    expect(await readdir(folder)).toEqual([]);
    await persister.destroy();
  });

  it('an empty file is nothing persisted too', async () => {
    const folder = await makeTempFolder();
    const path = join(folder, 'pets.json');
    await writeFile(path, '\n');
    const store = createStore();
    const errors: unknown[] = [];
    const persister = createFilePersister(store, path, (error) => errors.push(error));
    await persister.load({pets: {fido: {species: 'dog'}}});
    expect(store.getTables()).toEqual({pets: {fido: {species: 'dog'}}});
    expect(errors).toEqual([]);
    await persister.destroy();
  });
});

describe.each(Object.entries(CORRUPT_TEXTS))('a file holding %s', (_, text) => {
  it('is reported on load, the store and the file stay as they were', async () => {
    const folder = await makeTempFolder();
    const path = join(folder, 'pets.json');
    await writeFile(path, text);
    const store = createStore().setValues({mine: 1});
    const errors: unknown[] = [];
    const persister = createFilePersister(store, path, (error) => errors.push(error));
    await persister.load();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(UnreadableFileError);
    expect((errors[0] as UnreadableFileError).filePath).toBe(path);
    expect(store.getContent()).toEqual([{}, {mine: 1}]);
    expect(await readFile(path, 'utf8')).toBe(text);
    expect(await readdir(folder)).toEqual(['pets.json']);
    await persister.destroy();
  });

  it('is kept aside, byte for byte, before a save replaces it', async () => {
    const folder = await makeTempFolder();
    const path = join(folder, 'pets.json');
    await writeFile(path, text);
    const store = createStore();
    const errors: unknown[] = [];
    const persister = createFilePersister(store, path, (error) => errors.push(error));
    await persister.load();
    store.setValues({mine: 1});
    await persister.save();
    const entries = await readdir(folder);
    const aside = entries.filter((entry) => entry !== 'pets.json');
    expect(aside).toHaveLength(1);
    expect(aside[0]).toMatch(/^pets\.json\.corrupt-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z$/);
    expect(await readFile(join(folder, aside[0]), 'utf8')).toBe(text);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual([{}, {mine: 1}]);
    const moved = errors.find((error) => error instanceof FileMovedAsideError);
    expect((moved as FileMovedAsideError).movedTo).toBe(join(folder, aside[0]));
    await persister.destroy();
  });
});

describe('an unreadable file that appears after a good load', () => {
  it('is kept aside at the next save, without a conflict loop', async () => {
    const folder = await makeTempFolder();
    const path = join(folder, 'pets.json');
    const store = createStore().setValues({n: 1});
    const errors: unknown[] = [];
    const persister = createFilePersister(store, path, (error) => errors.push(error));
    await persister.save();
    await writeFile(path, 'garbage written over it');
    store.setValues({n: 2});
    await persister.save();
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual([{}, {n: 2}]);
    const aside = (await readdir(folder)).filter((entry) => entry.includes('.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(await readFile(join(folder, aside[0]), 'utf8')).toBe('garbage written over it');
    expect(errors.map((error) => (error as Error).name)).toEqual(['FileMovedAsideError']);
    await persister.destroy();
  });

  it('two saves of two unreadable files keep both', async () => {
    const folder = await makeTempFolder();
    const path = join(folder, 'pets.json');
    const store = createStore();
    const persister = createFilePersister(store, path, () => {});
    for (const n of [1, 2]) {
      await writeFile(path, `garbage ${n}`);
      store.setValues({n});
      await persister.save();
    }
    const aside = (await readdir(folder)).filter((entry) => entry.includes('.corrupt-'));
    const texts = await Promise.all(aside.map((entry) => readFile(join(folder, entry), 'utf8')));
    expect(texts.sort()).toEqual(['garbage 1', 'garbage 2']);
    await persister.destroy();
  });
});
