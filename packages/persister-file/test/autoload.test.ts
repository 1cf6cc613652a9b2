// Autoload hears other writers (in place, by rename as editors save, in bursts) and
// does not hear its own writes.

import {renameSync, writeFileSync} from 'node:fs';
import {readFile, rename, rm, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {createStore} from '@x/store';
import {afterEach, describe, expect, it} from 'vitest';
import {createFilePersister} from '../src';
import {makeTempFolder, removeTempFolders} from './support/tempFolder';
import {sleep, waitFor} from './support/waitFor';

afterEach(removeTempFolders);

const startAutoLoading = async () => {
  const folder = await makeTempFolder();
  const path = join(folder, 'pets.json');
  await writeFile(path, '[{},{"n":0}]');
  const store = createStore();
  const errors: unknown[] = [];
  const persister = createFilePersister(store, path, (error) => errors.push(error));
  await persister.startAutoLoad();
  expect(store.getValues()).toEqual({n: 0});
  return {folder, path, store, persister, errors};
};

describe('autoload', () => {
  it('applies a file replaced by rename, as editors save', async () => {
    const {folder, path, store, persister, errors} = await startAutoLoading();
    await writeFile(join(folder, '.pets.json.swp'), '[{"pets":{"fido":{"legs":4}}},{"n":1}]');
    await rename(join(folder, '.pets.json.swp'), path);
    await waitFor(() => store.getValue('n') === 1, 3_000, 'the renamed file');
    expect(store.getTables()).toEqual({pets: {fido: {legs: 4}}});
    // and keeps hearing the new file (a watch on the old inode would have gone deaf)
    await writeFile(join(folder, 'pets.json.new'), '[{},{"n":2}]');
    await rename(join(folder, 'pets.json.new'), path);
    await waitFor(() => store.getValue('n') === 2, 3_000, 'the second renamed file');
    expect(errors).toEqual([]);
    await persister.destroy();
  });

  it('applies a file written in place', async () => {
    const {path, store, persister} = await startAutoLoading();
    await writeFile(path, '[{},{"n":5}]');
    await waitFor(() => store.getValue('n') === 5, 3_000, 'the in-place write');
    await persister.destroy();
  });

  it('reads a burst of changes once', async () => {
    const {folder, path, store, persister, errors} = await startAutoLoading();
    const loadsBefore = persister.getStats().loads;
    // 30 replacements without yielding to the event loop: one burst of events
    for (let n = 1; n <= 30; n++) {
      writeFileSync(join(folder, 'next.json'), `[{},{"n":${n}}]`);
      renameSync(join(folder, 'next.json'), path);
    }
    await waitFor(() => store.getValue('n') === 30, 3_000, 'the last write of the burst');
    await sleep(100);
    expect(persister.getStats().loads - loadsBefore).toBeLessThanOrEqual(2);
    expect(errors).toEqual([]);
    await persister.destroy();
  });

  it('does not load its own writes', async () => {
    const folder = await makeTempFolder();
    const path = join(folder, 'pets.json');
    const store = createStore();
    const persister = createFilePersister(store, path);
    await persister.startAutoPersisting();
    await sleep(100);
    const loadsBefore = persister.getStats().loads;
    for (let n = 1; n <= 10; n++) {
      store.setValue('n', n);
      await persister.save();
      await sleep(30); // longer than the watch debounce: each write is its own event
    }
    await sleep(100);
    expect(persister.getStats().loads).toBe(loadsBefore);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual([{}, {n: 10}]);
    await persister.destroy();
  });

  it('keeps the store when the file is deleted, and writes it again on the next change', async () => {
    const {path, store, persister, errors} = await startAutoLoading();
    const loadsBefore = persister.getStats().loads;
    await rm(path);
    await waitFor(() => persister.getStats().loads > loadsBefore, 3_000, 'the reload');
    await sleep(50);
    expect(store.getValues()).toEqual({n: 0});
    await persister.startAutoSave();
    store.setValue('n', 1);
    await persister.save();
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual([{}, {n: 1}]);
    expect(errors).toEqual([]);
    await persister.destroy();
  });

  it('stops hearing changes after stopAutoLoad', async () => {
    const {path, store, persister} = await startAutoLoading();
    persister.stopAutoLoad();
    await writeFile(path, '[{},{"n":7}]');
    await sleep(200);
    expect(store.getValues()).toEqual({n: 0});
    await persister.destroy();
  });

  it('hears changes through a symbolic link', async () => {
    const folder = await makeTempFolder();
    const target = join(folder, 'target.json');
    const link = join(folder, 'link.json');
    await writeFile(target, '[{},{"n":0}]');
    const {symlink} = await import('node:fs/promises');
    await symlink(target, link);
    const store = createStore();
    const persister = createFilePersister(store, link);
    await persister.startAutoLoad();
    await writeFile(join(folder, 'tmp.json'), '[{},{"n":3}]');
    await rename(join(folder, 'tmp.json'), target);
    await waitFor(() => store.getValue('n') === 3, 3_000, 'the change to the target');
    await persister.destroy();
  });
});
