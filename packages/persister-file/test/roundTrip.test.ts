// A law: whatever a store holds, saving it and loading it into a fresh store gives it back.
import {join} from 'node:path';
import {createStore} from '@x/store';
import fc from 'fast-check';
import {afterAll, describe, expect, it} from 'vitest';
import {createFilePersister} from '../src';
import {makeTempFolder, removeTempFolders} from './support/tempFolder';

afterAll(removeTempFolders);

const id = fc.oneof(fc.string({maxLength: 6}), fc.constantFrom('__proto__', 'constructor', '0'));
const cell = fc.oneof(
  fc.string({maxLength: 8}),
  fc.double({noNaN: true, noDefaultInfinity: true}).map((n) => (Object.is(n, -0) ? 0 : n)),
  fc.boolean(),
  fc.constant(null),
);
const row = fc.dictionary(id, cell, {minKeys: 1, maxKeys: 3});
const tables = fc.dictionary(id, fc.dictionary(id, row, {minKeys: 1, maxKeys: 3}), {maxKeys: 3});
const values = fc.dictionary(id, cell, {maxKeys: 3});

describe('save then load', () => {
  it('round-trips any content', async () => {
    const folder = await makeTempFolder();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(tables, values, async (someTables, someValues) => {
        const path = join(folder, `store-${run++}.json`);
        const original = createStore().setTables(someTables).setValues(someValues);
        const saver = createFilePersister(original, path);
        await saver.save();
        const copy = createStore();
        const loader = createFilePersister(copy, path);
        await loader.load();
        expect(copy.getContent()).toEqual(original.getContent());
        await saver.destroy();
        await loader.destroy();
      }),
      {numRuns: 40},
    );
  });
});
