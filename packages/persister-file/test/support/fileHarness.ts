// The contract suite's view of a file: real temporary folders; another writer replaces
// the file atomically (as an editor or another persister would).
import {readdir, readFile, rename, rm, writeFile} from 'node:fs/promises';
import type {PersistedContent} from '@x/persister';
import type {ContractHarness} from '@x/persister/contract';
import {createFilePersister} from '../../src';
import {makeTempFolder} from './tempFolder';

/** The file's JSON as written: `[tables, values]`, or `[tables, values, {version}]`. */
const readJsonFile = async (path: string): Promise<PersistedContent | undefined> => {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as {code?: unknown}).code === 'ENOENT') {
      return undefined;
    }
    throw error;
  }
};

export const fileHarness: ContractHarness = {
  name: 'file',
  autoLoadTimeoutMs: 3_000,
  async createStorage() {
    const folder = await makeTempFolder();
    const path = `${folder}/store.json`;
    let writes = 0;
    return {
      createPersister: (store, onIgnoredError, options) =>
        createFilePersister(store, path, onIgnoredError, options),
      read: () => readJsonFile(path),
      async write(content) {
        const temp = `${folder}/other-writer-${writes++}.json`;
        await writeFile(temp, JSON.stringify(content));
        await rename(temp, path);
      },
      async writeCorrupt() {
        const text = '[{"pets": {"fido": {"species": "dog"}}}, {"half-written';
        await writeFile(path, text);
        return text;
      },
      readRaw: () => readFile(path, 'utf8').catch(() => undefined),
      // Saves move an unreadable file aside as `<file>.corrupt-<time>` before replacing it.
      async readKeptAside() {
        const aside = (await readdir(folder)).filter((entry) => entry.includes('.corrupt-'));
        return aside.length === 1 ? readFile(`${folder}/${aside[0]}`, 'utf8') : aside;
      },
      destroy: () => rm(folder, {recursive: true, force: true}),
    };
  },
};
