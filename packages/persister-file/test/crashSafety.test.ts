// A writer killed with SIGKILL at random moments never leaves a half-written or
// inconsistent file, and the next start removes what it left behind.
import {readdir, readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {createStore} from '@x/store';
import {describe, expect, it} from 'vitest';
import {createFilePersister} from '../src';
import {bundleFixture, startFixture} from './support/fixtures';
import {makeTempFolder, removeTempFolders} from './support/tempFolder';
import {sleep} from './support/waitFor';

const KILLS = 55;

type LogState = [{log?: {[row: string]: {n: number}}}, {n?: number}];

/** The k of the file's state, after checking the file is exactly state k. */
const stateOf = (content: LogState): number => {
  const k = content[1].n ?? 0;
  const expected: {[row: string]: {n: number}} = {};
  for (let i = 1; i <= k; i++) {
    expected[i] = {n: i};
  }
  expect(content).toEqual(k === 0 ? [{}, {}] : [{log: expected}, {n: k}]);
  return k;
};

describe('crash safety', () => {
  it(`survives ${KILLS} SIGKILLs of an autosaving writer`, {timeout: 90_000}, async () => {
    const script = await bundleFixture('growingWriter');
    const folder = await makeTempFolder();
    const path = join(folder, 'log.json');
    let lastState = 0;
    let leftoversSeen = 0;
    try {
      for (let kill = 0; kill < KILLS; kill++) {
        const child = startFixture(script, [path]);
        const ready = Number((await child.nextLine(/^ready \d+$/)).split(' ')[1]);
        // The previous writer's state was loaded, and its leftovers are gone.
        expect(ready).toBe(lastState);
        expect((await readdir(folder)).filter((entry) => entry !== 'log.json')).toEqual([]);
        child.process.stdin.end('go\n');
        await sleep(5 + Math.random() * 60);
        child.process.kill('SIGKILL');
        await child.exited;
        expect(child.stderr()).toBe('');
        leftoversSeen += (await readdir(folder)).filter((entry) => entry.endsWith('.tmp')).length;
        const state = stateOf(JSON.parse(await readFile(path, 'utf8').catch(() => '[{},{}]')));
        expect(state).toBeGreaterThanOrEqual(lastState);
        lastState = state;
      }
      expect(lastState).toBeGreaterThan(0);
      // A last start after the last kill: the state is there and the leftovers are gone.
      const store = createStore();
      const persister = createFilePersister(store, path);
      await persister.load();
      expect(store.getValue('n')).toBe(lastState);
      expect(await readdir(folder)).toEqual(['log.json']);
      await persister.destroy();
      // Not an assertion on luck: logged so a run shows how often a kill hit a write.
      console.log(
        `${KILLS} kills, final state ${lastState}, ${leftoversSeen} temp files left by kills`,
      );
    } finally {
      await removeTempFolders();
    }
  });
});
