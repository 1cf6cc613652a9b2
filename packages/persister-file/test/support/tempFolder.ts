// Real temporary folders, removed after each test.
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

const folders: string[] = [];

export const makeTempFolder = async (): Promise<string> => {
  const folder = await mkdtemp(join(tmpdir(), 'x-persister-file-'));
  folders.push(folder);
  return folder;
};

export const removeTempFolders = async (): Promise<void> => {
  await Promise.all(folders.splice(0).map((folder) => rm(folder, {recursive: true, force: true})));
};
