// The todo list as store content: table `todos`, row id = the todo's number,
// cells `text` (string) and `done` (boolean); value `nextId` so numbers are never reused.
import type {Store} from '@x/store';
import {CliError} from './cliError';

export const TODOS = 'todos';

export type Todo = {id: string; text: string; done: boolean};

/** Adds a todo under the next free number and returns it. */
export const addTodo = (store: Store, text: string): Todo =>
  store.transaction(() => {
    const ids = store.getRowIds(TODOS).map(Number);
    const id = String(Math.max(Number(store.getValue('nextId') ?? 1), ...ids.map((n) => n + 1)));
    store.setRow(TODOS, id, {text, done: false});
    store.setValue('nextId', Number(id) + 1);
    return {id, text, done: false};
  });

/** The todo with this id; a CliError when there is none. */
export const getTodo = (store: Store, id: string): Todo => {
  if (!store.hasRow(TODOS, id)) {
    throw new CliError(`no todo with id ${id} (see: x-todo list)`);
  }
  const row = store.getRow(TODOS, id);
  return {id, text: String(row.text ?? ''), done: row.done === true};
};

/** All todos, by number. */
export const listTodos = (store: Store): Todo[] =>
  store
    .getRowIds(TODOS)
    .sort((a, b) => Number(a) - Number(b) || a.localeCompare(b))
    .map((id) => getTodo(store, id));

/** `[ ] 1  Buy milk` per todo, or a line saying there are none. */
export const formatTodos = (todos: Todo[]): string =>
  todos.length === 0
    ? 'no todos yet (add one: x-todo add <text>)'
    : todos
        .map(({id, text, done}) => `[${done ? 'x' : ' '}] ${id.padStart(2)}  ${text}`)
        .join('\n');

/** `3 todos, 1 done` */
export const summarize = (todos: Todo[]): string =>
  `${todos.length} todo${todos.length === 1 ? '' : 's'}, ${todos.filter((t) => t.done).length} done`;
