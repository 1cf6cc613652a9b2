import {mkdtemp, readFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createFilePersister} from '@x/persister-file';
import {createStore} from '@x/store';

/** Waits until `condition` holds: autosave and autoload work in the background. */
const until = async (condition: () => boolean | Promise<boolean>) => {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 10));
};

const file = join(await mkdtemp(join(tmpdir(), 'pets-')), 'pets.json');
const store = createStore();
const persister = createFilePersister(store, file);

// Load the file (or, as there is none yet, start from this content),
// then save every change and follow every change made to the file by others.
await persister.startAutoPersisting({pets: {fido: {species: 'dog'}}});
console.log(store.getTables());
// -> {"pets":{"fido":{"species":"dog"}}}

store.setCell('pets', 'fido', 'color', 'brown');
await until(async () => (await readFile(file, 'utf8')).includes('brown'));
console.log(await readFile(file, 'utf8'));
// -> [{"pets":{"fido":{"species":"dog","color":"brown"}}},{}]

// Another program (here, a second persister on the same file) saves its own pet:
// a save reads what it has not read yet and adds to it, and the store follows.
const other = createFilePersister(createStore().setTables({pets: {felix: {species: 'cat'}}}), file);
await other.save();
await other.destroy();
await until(() => store.hasRow('pets', 'felix'));
console.log(store.getTables());
// -> {"pets":{"fido":{"species":"dog","color":"brown"},"felix":{"species":"cat"}}}

await persister.destroy();
