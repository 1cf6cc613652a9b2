// Temporary files of a writer that was killed are removed at the next start; nothing
// else is: not another data file's, not a live writer's, not unrelated files.
import {spawnSync} from 'node:child_process';
import {readdir, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {createStore} from '@x/store';
import {afterEach, describe, expect, it} from 'vitest';
import {createFilePersister} from '../src';
import {makeTempFolder, removeTempFolders} from './support/tempFolder';

afterEach(removeTempFolders);

/** The pid of a process that has exited (pids are not reused this quickly). */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid as number;

describe('leftover temporary files', () => {
  it('of dead writers of this file are removed by the first load', async () => {
    const folder = await makeTempFolder();
    const path = join(folder, 'pets.json');
    const dead = deadPid();
    const livePid = process.ppid; // alive: it started us
    const files = {
      'pets.json': '[{},{"a":1}]',
      [`.pets.json.${dead}.0123456789ab.tmp`]: '[{},{"a"', // dead writer: removed
      [`.pets.json.${livePid}.0123456789ab.tmp`]: '[{},{', // live writer: kept
      [`.other.json.${dead}.0123456789ab.tmp`]: '', // another data file's: kept
      [`.pets.json.${dead}.xyz.tmp`]: '', // not our pattern: kept
      'notes.txt': 'hello',
      '.pets.json.lock': String(dead), // lock of a dead writer: removed
    };
    for (const [name, text] of Object.entries(files)) {
      await writeFile(join(folder, name), text);
    }
    const store = createStore();
    const persister = createFilePersister(store, path);
    await persister.load();
    expect(store.getValues()).toEqual({a: 1});
    expect((await readdir(folder)).sort()).toEqual(
      [
        'pets.json',
        `.pets.json.${livePid}.0123456789ab.tmp`,
        `.other.json.${dead}.0123456789ab.tmp`,
        `.pets.json.${dead}.xyz.tmp`,
        'notes.txt',
      ].sort(),
    );
    await persister.destroy();
  });

  it("are removed by the first save too, and a dead writer's lock does not block it", async () => {
    const folder = await makeTempFolder();
    const path = join(folder, 'pets.json');
    const dead = deadPid();
    await writeFile(join(folder, `.pets.json.${dead}.aaaaaaaaaaaa.tmp`), '[');
    await writeFile(join(folder, '.pets.json.lock'), String(dead));
    const persister = createFilePersister(createStore().setValues({a: 1}), path);
    await persister.save();
    expect(await readdir(folder)).toEqual(['pets.json']);
    await persister.destroy();
  });
});
