import {mkdtemp, readFile, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createFilePersister} from '@x/persister-file';
import {createStore} from '@x/store';

const file = join(await mkdtemp(join(tmpdir(), 'pets-')), 'pets.json');
const store = createStore()
  .setValues({employees: 3})
  .setTables({pets: {fido: {species: 'dog'}}});
const persister = createFilePersister(store, file);

// save() writes the whole store to the file, as [tables, values].
await persister.save();
console.log(await readFile(file, 'utf8'));
// -> [{"pets":{"fido":{"species":"dog"}}},{"employees":3}]

// Someone else rewrites the file; load() replaces the store's content with it.
await writeFile(file, '[{"pets":{"toto":{"species":"dog"}}},{"employees":4}]');
await persister.load();
console.log(store.getTables());
// -> {"pets":{"toto":{"species":"dog"}}}
console.log(store.getValues());
// -> {"employees":4}

await persister.destroy();
