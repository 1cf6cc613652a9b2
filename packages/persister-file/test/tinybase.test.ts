// The same user code against TinyBase 10's file persister and ours, on real
// files in temp folders: the file written, reading each other's files, a
// missing file, an older file holding only [tables], and (a deliberate
// difference) an unreadable file.
import {readdir, readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {createStore} from '@x/store';
import {createStore as createTinyBaseStore} from 'tinybase';
import {createFilePersister as createTinyBaseFilePersister} from 'tinybase/persisters/persister-file';
import {afterEach, describe, expect, it} from 'vitest';
import {createFilePersister} from '../src';
import {makeTempFolder, removeTempFolders} from './support/tempFolder';

afterEach(removeTempFolders);

const TABLES = {pets: {fido: {species: 'dog', legs: 4}, 'felix.cat': {sold: false}}};
const VALUES = {open: true, owner: 'Ada'};

describe('TinyBase 10 and @x file persisters side by side', () => {
  it('save() writes the same file', async () => {
    const folder = await makeTempFolder();
    const tinybase = createTinyBaseFilePersister(
      createTinyBaseStore().setTables(TABLES).setValues(VALUES),
      join(folder, 'tb.json'),
    );
    await tinybase.save();
    await tinybase.destroy();
    const persister = createFilePersister(
      createStore().setTables(TABLES).setValues(VALUES),
      join(folder, 'x.json'),
    );
    await persister.save();
    await persister.destroy();
    expect(await readFile(join(folder, 'x.json'), 'utf8')).toBe(
      await readFile(join(folder, 'tb.json'), 'utf8'),
    );
  });

  it('each reads the file the other wrote', async () => {
    const path = join(await makeTempFolder(), 'pets.json');
    const tinybase = createTinyBaseFilePersister(
      createTinyBaseStore().setTables(TABLES).setValues(VALUES),
      path,
    );
    await tinybase.save();
    await tinybase.destroy();
    const store = createStore();
    const persister = createFilePersister(store, path);
    await persister.load();
    store.setCell('pets', 'fido', 'legs', 3);
    await persister.save();
    await persister.destroy();
    const tinybaseStore = createTinyBaseStore();
    const reader = createTinyBaseFilePersister(tinybaseStore, path);
    await reader.load();
    await reader.destroy();
    expect(tinybaseStore.getContent()).toEqual(store.getContent());
    expect(store.getTables().pets.fido.legs).toBe(3);
  });

  it('a missing file is nothing persisted: both apply the initial content', async () => {
    const folder = await makeTempFolder();
    const tinybaseStore = createTinyBaseStore();
    const tinybase = createTinyBaseFilePersister(tinybaseStore, join(folder, 'tb.json'));
    await tinybase.load([TABLES, VALUES]);
    await tinybase.destroy();
    const store = createStore();
    const persister = createFilePersister(store, join(folder, 'x.json'));
    await persister.load([TABLES, VALUES]);
    await persister.destroy();
    expect(store.getContent()).toEqual(tinybaseStore.getContent());
  });

  it('a file holding only [tables] loads the tables and keeps the values, in both', async () => {
    const folder = await makeTempFolder();
    const path = join(folder, 'old.json');
    await writeFile(path, JSON.stringify([TABLES]));
    const tinybaseStore = createTinyBaseStore().setValues(VALUES);
    const tinybase = createTinyBaseFilePersister(tinybaseStore, path);
    await tinybase.load();
    await tinybase.destroy();
    const store = createStore().setValues(VALUES);
    const persister = createFilePersister(store, path);
    await persister.load();
    await persister.destroy();
    expect(store.getContent()).toEqual(tinybaseStore.getContent());
    expect(store.getContent()).toEqual([TABLES, VALUES]);
  });

  it('an unreadable file: TinyBase overwrites it, @x keeps it aside (deliberate difference)', async () => {
    const run = async (create: typeof createTinyBaseFilePersister | typeof createFilePersister) => {
      const folder = await makeTempFolder();
      const path = join(folder, 'pets.json');
      await writeFile(path, '[{"pets":');
      const store = create === createFilePersister ? createStore() : createTinyBaseStore();
      const persister = (create as typeof createFilePersister)(
        store as ReturnType<typeof createStore>,
        path,
        () => {},
      );
      await persister.startAutoPersisting();
      store.setCell('pets', 'rex', 'species', 'dog');
      await new Promise((resolve) => setTimeout(resolve, 100));
      await persister.destroy();
      const names = await readdir(folder);
      const kept = names.find((name) => name.startsWith('pets.json.corrupt-'));
      return kept === undefined ? undefined : await readFile(join(folder, kept), 'utf8');
    };
    expect(await run(createTinyBaseFilePersister)).toBeUndefined();
    expect(await run(createFilePersister)).toBe('[{"pets":');
  });
});
