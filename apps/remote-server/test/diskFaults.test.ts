// Real disk faults (no mocks): an unreadable document file, a data folder
// that disappears. The answer is 500, the error reaches onError, and nothing
// on disk is overwritten.
import {mkdir, readFile, rm, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {postJson, type Running, send, startServer} from './helpers';

describe('disk faults', () => {
  let running: Running;
  beforeEach(async () => {
    running = await startServer();
  });
  afterEach(async () => {
    await running.destroy();
  });

  it('answers 500 for a document file that is not content, and never overwrites it', async () => {
    const file = join(running.dataDir, 'broken.json');
    await writeFile(file, '{"this is": "not [tables, values]"');
    const url = `${running.url}/stores/broken`;
    expect((await send(url)).status).toBe(500);
    expect((await postJson(url, [{}, {a: 1}])).status).toBe(500);
    expect((await send(url)).status).toBe(500);
    expect(await readFile(file, 'utf8')).toBe('{"this is": "not [tables, values]"');
    expect(running.errors.length).toBeGreaterThan(0);
  });

  it('answers 500 for a document path that is a folder', async () => {
    await mkdir(join(running.dataDir, 'folder.json'));
    expect((await send(`${running.url}/stores/folder`)).status).toBe(500);
    expect(running.errors.length).toBeGreaterThan(0);
  });

  it('answers 500 when the write cannot reach the disk, and reports it', async () => {
    const url = `${running.url}/stores/gone`;
    expect((await postJson(url, [{}, {a: 1}])).status).toBe(204);
    // A file where the data folder was: no write can get through.
    await rm(running.dataDir, {recursive: true, force: true});
    await writeFile(running.dataDir, 'in the way');
    expect((await postJson(url, [{}, {a: 2}])).status).toBe(500);
    expect(running.errors.length).toBeGreaterThan(0);
    // Once the folder is back, the next write goes through.
    await rm(running.dataDir);
    await mkdir(running.dataDir);
    expect((await postJson(url, [{}, {a: 3}])).status).toBe(204);
    expect(JSON.parse(await readFile(join(running.dataDir, 'gone.json'), 'utf8'))).toEqual([
      {},
      {a: 3},
    ]);
  });
});
