import {createIndexedDbPersister, createLocalPersister} from '@x/persister-browser';
import {createStore} from '@x/store';
import {renderTodos} from './renderTodos';
import {createStatusView} from './statusView';
import {getStorageMode} from './storageMode';
import {addTodo} from './todos';

const STORAGE_NAME = 'todo-web';

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const start = async () => {
  const mode = getStorageMode(location.search);
  byId('mode').textContent = mode === 'indexeddb' ? 'IndexedDB' : 'local storage';
  // One link, to the mode not in use.
  const otherMode = byId<HTMLAnchorElement>('other-mode');
  otherMode.href = mode === 'indexeddb' ? '?storage=local' : '?storage=indexeddb';
  otherMode.textContent = `use ${mode === 'indexeddb' ? 'local storage' : 'IndexedDB'} instead`;

  const store = createStore();
  const status = createStatusView(byId('status'));
  const persister =
    mode === 'indexeddb'
      ? createIndexedDbPersister(store, STORAGE_NAME, status.onError)
      : createLocalPersister(store, STORAGE_NAME, status.onError);
  status.follow(persister);

  const list = byId<HTMLUListElement>('todos');
  store.addTablesListener(() => renderTodos(list, store));
  renderTodos(list, store);

  const form = byId<HTMLFormElement>('add');
  const input = byId<HTMLInputElement>('new-todo');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    addTodo(store, input.value);
    input.value = '';
  });

  await persister.startAutoPersisting();
  document.body.dataset.ready = 'true';
  // Save what is pending before the tab goes away.
  addEventListener('pagehide', () => void persister.save());
};

void start();
