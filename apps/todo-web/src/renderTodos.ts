// Draws the list again after each change: the list is small, and a full redraw
// is simplest to get right. Text goes in with textContent, never as HTML.
import type {Store} from '@x/store';
import {deleteTodo, getTodos, toggleTodo} from './todos';

export const renderTodos = (list: HTMLElement, store: Store): void => {
  const items = getTodos(store).map((todo) => {
    const item = document.createElement('li');
    item.dataset.id = todo.id;
    item.className = todo.done ? 'todo done' : 'todo';

    const done = document.createElement('input');
    done.type = 'checkbox';
    done.checked = todo.done;
    done.setAttribute('aria-label', `done: ${todo.text}`);
    done.addEventListener('change', () => toggleTodo(store, todo.id));

    const text = document.createElement('span');
    text.className = 'text';
    text.textContent = todo.text;

    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'delete';
    remove.textContent = 'Delete';
    remove.setAttribute('aria-label', `delete: ${todo.text}`);
    remove.addEventListener('click', () => deleteTodo(store, todo.id));

    item.append(done, text, remove);
    return item;
  });
  list.replaceChildren(...items);
};
