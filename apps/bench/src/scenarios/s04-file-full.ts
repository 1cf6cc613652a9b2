// 4. File persister, full save and full load, beside the floor: the same
// content written with plain JSON.stringify + writeFile and read back with
// readFile + JSON.parse (no atomic rename, no fsync, no validation).
import {readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {makeStore, n} from '../data';
import {defineScenario} from '../types';
import {check, sameContent} from '../verify';

export default defineScenario({
  id: '4',
  title: ({rows}) => `file: full save and full load of ${n(rows)} rows`,
  needs: ['createStore', 'createFilePersister'],
  size: {full: {rows: 100_000}, quick: {rows: 2_000}},
  metrics: [
    {key: 'save', label: 'save', unit: 'ms'},
    {key: 'load', label: 'load', unit: 'ms'},
    {key: 'floorSave', label: 'floor: stringify + writeFile', unit: 'ms', floor: true},
    {key: 'floorLoad', label: 'floor: readFile + parse', unit: 'ms', floor: true},
  ],
  async run(lib, {rows}, ctx) {
    const file = join(ctx.tmpDir, 'store.json');
    const store = makeStore(lib, rows);
    const persister = lib.createFilePersister(store, file, ctx.onIgnoredError);

    let start = performance.now();
    await persister.save();
    const save = performance.now() - start;
    await persister.destroy();
    check(
      sameContent(JSON.parse(await readFile(file, 'utf8')), store.getContent()),
      'the saved file is not equal to the store',
    );

    const loaded = lib.createStore();
    const loader = lib.createFilePersister(loaded, file, ctx.onIgnoredError);
    start = performance.now();
    await loader.load();
    const load = performance.now() - start;
    await loader.destroy();
    check(sameContent(loaded.getContent(), store.getContent()), 'the loaded store is not equal');

    const content = store.getContent();
    const floorFile = join(ctx.tmpDir, 'floor.json');
    start = performance.now();
    await writeFile(floorFile, JSON.stringify(content), 'utf8');
    const floorSave = performance.now() - start;
    start = performance.now();
    const parsed = JSON.parse(await readFile(floorFile, 'utf8'));
    const floorLoad = performance.now() - start;
    check(sameContent(parsed, content), 'the floor round trip is not equal');

    return {save, load, floorSave, floorLoad};
  },
});
