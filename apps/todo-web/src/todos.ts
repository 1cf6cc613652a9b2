// The todo model on the store: table `todos`, one row per todo.
import type {Store} from '@x/store';

export const TODOS = 'todos';

export type Todo = {id: string; text: string; done: boolean; created: number};

// Random ids, not addRow's counter: two tabs adding at once must not collide.
const newId = () =>
  typeof crypto?.randomUUID === 'function'
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

export const addTodo = (store: Store, text: string): void => {
  const trimmed = text.trim();
  if (trimmed !== '') {
    store.setRow(TODOS, newId(), {text: trimmed, done: false, created: Date.now()});
  }
};

export const toggleTodo = (store: Store, id: string): void => {
  store.setCell(TODOS, id, 'done', (done) => done !== true);
};

export const deleteTodo = (store: Store, id: string): void => {
  store.delRow(TODOS, id);
};

/** The todos, oldest first; rows that are not todos (written by hand, say) are shown as best we can. */
export const getTodos = (store: Store): Todo[] =>
  store.getSortedRowIds(TODOS, 'created').map((id) => {
    const row = store.getRow(TODOS, id);
    return {
      id,
      text: String(row.text ?? ''),
      done: row.done === true,
      created: typeof row.created === 'number' ? row.created : 0,
    };
  });
