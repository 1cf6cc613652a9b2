// One tab: a store kept in a Y.Doc by createYjsPersister, the doc synced with
// everyone else through the y-websocket server that served this page.
import {createYjsPersister} from '@x/persister-yjs';
import {createStore} from '@x/store';
import {WebsocketProvider} from 'y-websocket';
import * as Y from 'yjs';
import {renderList} from './render-list';
import {addItem} from './shared-list';

const byId = <Element extends HTMLElement>(id: string) => document.getElementById(id) as Element;
const list = byId<HTMLUListElement>('items');
const status = byId<HTMLParagraphElement>('status');
const form = byId<HTMLFormElement>('add');
const input = byId<HTMLInputElement>('text');

const room = new URLSearchParams(location.search).get('room') || 'shared-list';
const doc = new Y.Doc();
const store = createStore();
const persister = createYjsPersister(store, doc);
// disableBc: every tab goes through the server, as separate people's browsers do.
const provider = new WebsocketProvider(
  `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/yjs`,
  room,
  doc,
  {disableBc: true},
);

provider.on('status', ({status: connection}) => {
  status.textContent = connection;
  status.dataset.status = connection;
});
store.addTablesListener(() => renderList(store, list));
renderList(store, list);

form.addEventListener('submit', (event) => {
  event.preventDefault();
  addItem(store, input.value);
  input.value = '';
});

// Start persisting once the first sync brought the shared list (or after a
// while offline: edits made then merge when the connection comes back).
let started = false;
const start = () => {
  if (!started) {
    started = true;
    void persister.startAutoPersisting().then(() => {
      document.body.dataset.ready = 'true';
    });
  }
};
provider.once('sync', start);
setTimeout(start, 3000);
