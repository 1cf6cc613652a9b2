// What a save leaves on disk: exact JSON, no temporary files, the old mode, the link.
import {
  chmod,
  lstat,
  readdir,
  readFile,
  readlink,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import {join} from 'node:path';
import {createStore} from '@x/store';
import {afterEach, describe, expect, it} from 'vitest';
import {createFilePersister} from '../src';
import {makeTempFolder, removeTempFolders} from './support/tempFolder';

afterEach(removeTempFolders);

const petStore = () =>
  createStore()
    .setTables({pets: {fido: {species: 'dog'}}})
    .setValues({open: true});

describe('a save', () => {
  it('writes exactly [tables, values] as JSON and leaves no other file', async () => {
    const folder = await makeTempFolder();
    const path = join(folder, 'pets.json');
    const persister = createFilePersister(petStore(), path);
    await persister.save();
    expect(await readFile(path, 'utf8')).toBe(
      '[{"pets":{"fido":{"species":"dog"}}},{"open":true}]',
    );
    expect(await readdir(folder)).toEqual(['pets.json']);
    expect(persister.getFilePath()).toBe(path);
    await persister.destroy();
  });

  it('replaces the file by rename (a reader holding the old file keeps the old content)', async () => {
    const folder = await makeTempFolder();
    const path = join(folder, 'pets.json');
    const store = petStore();
    const persister = createFilePersister(store, path);
    await persister.save();
    const before = await stat(path);
    store.setCell('pets', 'fido', 'color', 'brown');
    await persister.save();
    const after = await stat(path);
    expect(after.ino).not.toBe(before.ino);
    expect(JSON.parse(await readFile(path, 'utf8'))[0].pets.fido.color).toBe('brown');
    await persister.destroy();
  });

  it('keeps the mode of the existing file', async () => {
    const folder = await makeTempFolder();
    const path = join(folder, 'pets.json');
    await writeFile(path, '[{},{}]');
    await chmod(path, 0o640);
    const store = createStore();
    const persister = createFilePersister(store, path);
    await persister.load();
    store.setValue('a', 1);
    await persister.save();
    expect((await stat(path)).mode & 0o7777).toBe(0o640);
    await chmod(path, 0o604);
    await persister.load();
    store.setValue('a', 2);
    await persister.save();
    expect((await stat(path)).mode & 0o7777).toBe(0o604);
    await persister.destroy();
  });

  it('creates a new file with the default mode (0o666 less the umask)', async () => {
    const folder = await makeTempFolder();
    const path = join(folder, 'pets.json');
    const persister = createFilePersister(petStore(), path);
    await persister.save();
    const umask = process.umask();
    expect((await stat(path)).mode & 0o777).toBe(0o666 & ~umask);
    await persister.destroy();
  });

  it('creates missing folders', async () => {
    const folder = await makeTempFolder();
    const path = join(folder, 'a', 'b', 'pets.json');
    const persister = createFilePersister(petStore(), path);
    await persister.save();
    expect(JSON.parse(await readFile(path, 'utf8'))[1]).toEqual({open: true});
    await persister.destroy();
  });

  it('follows a symbolic link: the target changes, the link stays a link', async () => {
    const folder = await makeTempFolder();
    const target = join(folder, 'real', 'pets.json');
    const link = join(folder, 'pets.json');
    const store = createStore();
    await createFilePersister(petStore(), target).save();
    await symlink('real/pets.json', link);
    const persister = createFilePersister(store, link);
    await persister.load();
    expect(store.getTables()).toEqual({pets: {fido: {species: 'dog'}}});
    store.setCell('pets', 'fido', 'color', 'brown');
    await persister.save();
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe('real/pets.json');
    expect(JSON.parse(await readFile(target, 'utf8'))[0].pets.fido.color).toBe('brown');
    expect(await readdir(join(folder, 'real'))).toEqual(['pets.json']);
    await persister.destroy();
  });

  it('follows a dangling symbolic link and creates its target', async () => {
    const folder = await makeTempFolder();
    const link = join(folder, 'pets.json');
    await symlink(join(folder, 'target.json'), link);
    const persister = createFilePersister(petStore(), link);
    await persister.save();
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(JSON.parse(await readFile(join(folder, 'target.json'), 'utf8'))[1]).toEqual({
      open: true,
    });
    await persister.destroy();
  });

  it('reports a failed write, keeps the changes and saves them once writing works', async () => {
    const folder = await makeTempFolder();
    const blocker = join(folder, 'data');
    const path = join(blocker, 'pets.json');
    await writeFile(blocker, 'a file where the folder should be');
    const store = petStore();
    const errors: unknown[] = [];
    const persister = createFilePersister(store, path, (error) => errors.push(error));
    await persister.save();
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toMatch(/ENOTDIR|EEXIST/);
    expect(store.getValues()).toEqual({open: true});
    expect(await readdir(folder)).toEqual(['data']);
    await rm(blocker);
    await persister.save();
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(store.getContent());
    await persister.destroy();
  });

  it('coalesces a storm of autosaved transactions into a couple of writes', async () => {
    const folder = await makeTempFolder();
    const path = join(folder, 'pets.json');
    const store = createStore();
    const persister = createFilePersister(store, path);
    await persister.startAutoSave();
    const savesBefore = persister.getStats().saves;
    for (let n = 1; n <= 500; n++) {
      store.setValue('n', n);
    }
    await persister.save();
    expect(persister.getStats().saves - savesBefore).toBeLessThanOrEqual(3);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual([{}, {n: 500}]);
    await persister.destroy();
  });
});
