import {mkdtemp, readFile, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {Migrate} from '@x/persister';
import {createFilePersister} from '@x/persister-file';
import type {Table} from '@x/store';
import {createStore} from '@x/store';

// What version 1 of the app wrote: each pet has a `kind`, and its owner's name.
const file = join(await mkdtemp(join(tmpdir(), 'pets-')), 'pets.json');
await writeFile(
  file,
  '[{"pets":{"fido":{"kind":"dog","owner":"Ann","legs":"four"}}},{},{"version":1}]',
);

// Version 2: `kind` is renamed `species`, and owners move to a table of their own.
const migrate: Migrate = ([tables, values], fromVersion) => {
  if (fromVersion >= 2) return [tables, values];
  const pets: Table = {};
  const owners: Table = {};
  for (const [petId, {kind, owner, ...rest}] of Object.entries(tables.pets ?? {})) {
    pets[petId] = kind === undefined ? rest : {...rest, species: kind};
    if (owner !== undefined) owners[petId] = {name: owner};
  }
  return [{...tables, pets, owners}, values];
};

const store = createStore().setTablesSchema({
  pets: {species: {type: 'string'}, legs: {type: 'number'}},
  owners: {name: {type: 'string'}},
});
const persister = createFilePersister(store, file, () => {}, {version: 2, migrate});
await persister.startAutoPersisting();
console.log(store.getTables());
// -> {"pets":{"fido":{"species":"dog"}},"owners":{"fido":{"name":"Ann"}}}

// `legs: "four"` is not a number: the store refused it, the file keeps it.
console.log(persister.getRejected());
// -> [{"pets":{"fido":{"legs":"four"}}},{}]
await persister.save();
console.log(await readFile(file, 'utf8'));
// -> [{"pets":{"fido":{"species":"dog","legs":"four"}},"owners":{"fido":{"name":"Ann"}}},{},{"version":2}]

// Once the app writes that cell itself, its value wins.
store.setCell('pets', 'fido', 'legs', 4);
await persister.destroy();
console.log(await readFile(file, 'utf8'));
// -> [{"pets":{"fido":{"species":"dog","legs":4}},"owners":{"fido":{"name":"Ann"}}},{},{"version":2}]
