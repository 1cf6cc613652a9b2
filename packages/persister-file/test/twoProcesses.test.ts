// Two processes autosaving and autoloading one file, each writing its own cells: each
// sees the other's, and at the end both stores and the file are equal, nothing lost.
import {readdir, readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {bundleFixture, startFixture} from './support/fixtures';
import {makeTempFolder, removeTempFolders} from './support/tempFolder';

const COUNT = 60;

describe('two processes on one file', () => {
  it('both end with every cell of both, as does the file', {timeout: 60_000}, async () => {
    const script = await bundleFixture('cellWriter');
    const folder = await makeTempFolder();
    const path = join(folder, 'shared.json');
    const a = startFixture(script, [path, 'a', 'b', String(COUNT)]);
    const b = startFixture(script, [path, 'b', 'a', String(COUNT)]);
    try {
      await Promise.all([a.nextLine(/^ready$/), b.nextLine(/^ready$/)]);
      a.process.stdin.end('go\n');
      b.process.stdin.end('go\n');
      const [finalA, finalB] = await Promise.all(
        [a, b].map(async (child) => JSON.parse((await child.nextLine(/^final /, 40_000)).slice(6))),
      );
      expect(await a.exited).toBe(0);
      expect(await b.exited).toBe(0);
      const expected = [
        Object.fromEntries(
          ['a', 'b'].map((me) => [
            me,
            Object.fromEntries(
              Array.from({length: COUNT}, (_, i) => [String(i + 1), {by: `${me}${i + 1}`}]),
            ),
          ]),
        ),
        {aDone: true, bDone: true},
      ];
      expect(finalA).toEqual(expected);
      expect(finalB).toEqual(expected);
      expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(expected);
      expect(await readdir(folder)).toEqual(['shared.json']);
    } finally {
      a.process.kill('SIGKILL');
      b.process.kill('SIGKILL');
      await removeTempFolders();
    }
  });
});
