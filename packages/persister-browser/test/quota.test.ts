// @vitest-environment happy-dom
// A full quota. happy-dom's Storage has no quota at all, so this test wraps
// localStorage.setItem in a test double that throws the QuotaExceededError a
// browser throws once the area holds more than LIMIT characters. (The todo-web
// end-to-end test fills the real quota of Chromium's localStorage.)
import {createStore} from '@x/store';
import {afterEach, expect, it, vi} from 'vitest';
import {createLocalPersister} from '../src';
import {waitIdle} from './helpers/waitIdle';

const LIMIT = 2000;

const usedWithout = (key: string) => {
  let used = 0;
  for (let index = 0; index < localStorage.length; index++) {
    const other = localStorage.key(index) as string;
    if (other !== key) {
      used += other.length + (localStorage.getItem(other) ?? '').length;
    }
  }
  return used;
};

const limitQuota = () => {
  const setItem = localStorage.setItem.bind(localStorage);
  return vi.spyOn(localStorage, 'setItem').mockImplementation((key: string, value: string) => {
    if (usedWithout(key) + key.length + String(value).length > LIMIT) {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    }
    setItem(key, value);
  });
};

afterEach(() => {
  vi.restoreAllMocks();
  localStorage.clear();
});

it('reports a full quota, keeps what was saved, and saves the changes once they fit', async () => {
  limitQuota();
  localStorage.setItem('filler', 'x'.repeat(LIMIT - 200));
  const errors: unknown[] = [];
  const store = createStore();
  const persister = createLocalPersister(store, 'todos', (error) => errors.push(error));
  await persister.startAutoPersisting();
  store.setRow('todos', 'a', {text: 'milk'});
  await waitIdle(persister);
  const before = localStorage.getItem('todos');
  expect(JSON.parse(before ?? 'null')).toStrictEqual([{todos: {a: {text: 'milk'}}}, {}]);

  store.setRow('todos', 'b', {text: 'y'.repeat(300)});
  await waitIdle(persister);
  expect(errors.length).toBeGreaterThan(0);
  expect((errors[0] as DOMException).name).toBe('QuotaExceededError');
  // Nothing is lost: storage holds the last save that fitted, the store keeps everything.
  expect(localStorage.getItem('todos')).toBe(before);
  expect(store.getCell('todos', 'b', 'text')).toBe('y'.repeat(300));

  // Space is freed; the pending change goes out with the next save.
  localStorage.removeItem('filler');
  store.setRow('todos', 'c', {text: 'tea'});
  await persister.save();
  expect(JSON.parse(localStorage.getItem('todos') ?? 'null')).toStrictEqual([
    {todos: {a: {text: 'milk'}, b: {text: 'y'.repeat(300)}, c: {text: 'tea'}}},
    {},
  ]);
  await persister.destroy();
});
