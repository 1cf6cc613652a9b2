import {createCustomPersister} from '@x/persister';
import {createStore} from '@x/store';

// The storage: one string. It could as well be a cookie, a database cell or a blob.
let saved: string | undefined;
let poll: ReturnType<typeof setInterval> | undefined;

const store = createStore().setTables({pets: {fido: {species: 'dog'}}});
const persister = createCustomPersister(
  store,
  // Read: what is stored, parsed; undefined when nothing is.
  async () => (saved === undefined ? undefined : JSON.parse(saved)),
  // Write: the whole content. Returning the assignment is fine: any promise will do.
  async (getContent) => (saved = JSON.stringify(getContent())),
  // Listen: ask the persister to re-read once a second (a poll)...
  (listener) => (poll = setInterval(listener, 1000)),
  // ...and stop.
  () => clearInterval(poll),
);

await persister.save();
console.log(saved);
// -> [{"pets":{"fido":{"species":"dog"}}},{}]

saved = '[{"pets":{"fido":{"species":"dog","color":"brown"}}},{}]';
await persister.load();
console.log(store.getTables());
// -> {"pets":{"fido":{"species":"dog","color":"brown"}}}

await persister.destroy();
