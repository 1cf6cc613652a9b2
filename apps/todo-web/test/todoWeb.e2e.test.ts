// End to end, in Debian's Chromium: the built app served by `vite preview`, in
// each storage mode, through its UI. Every test has its own browser profile.
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {type AppServer, startAppServer} from './helpers/appServer';
import {type Browser, launchBrowser} from './helpers/browser';
import {addTodo, doneTexts, eventually, openApp, statusOf, todoTexts} from './helpers/todoPage';

let server: AppServer;
let browser: Browser;

beforeAll(async () => {
  server = await startAppServer();
});
afterAll(async () => {
  await server?.close();
});
beforeEach(async () => {
  browser = await launchBrowser();
});
afterEach(async () => {
  await browser?.close();
});

describe.each(['local', 'indexeddb'])('storage=%s', (mode) => {
  const url = () => `${server.url}?storage=${mode}`;

  it('keeps todos, done marks and deletions across a reload', async () => {
    const page = await openApp(browser.context, url());
    await addTodo(page, 'milk');
    await addTodo(page, 'eggs');
    await addTodo(page, 'tea');
    await eventually(async () => expect(await todoTexts(page)).toEqual(['milk', 'eggs', 'tea']));
    await page.click('#todos li:has-text("eggs") input[type=checkbox]');
    await page.click('#todos li:has-text("tea") button.delete');
    await eventually(async () => expect((await statusOf(page)).state).toBe('saved'));

    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    expect(await todoTexts(page)).toEqual(['milk', 'eggs']);
    expect(await doneTexts(page)).toEqual(['eggs']);
    expect(await page.textContent('#mode')).toBe(
      mode === 'indexeddb' ? 'IndexedDB' : 'local storage',
    );
  });

  it('shows an edit made in one tab in the other, live', async () => {
    const first = await openApp(browser.context, url());
    const second = await openApp(browser.context, url());
    await addTodo(first, 'milk');
    await eventually(async () => expect(await todoTexts(second)).toEqual(['milk']));
    await addTodo(second, 'eggs');
    await eventually(async () => expect(await todoTexts(first)).toEqual(['milk', 'eggs']));
    await second.click('#todos li:has-text("milk") input[type=checkbox]');
    await eventually(async () => expect(await doneTexts(first)).toEqual(['milk']));
    await first.click('#todos li:has-text("eggs") button.delete');
    await eventually(async () => expect(await todoTexts(second)).toEqual(['milk']));
    expect(await doneTexts(second)).toEqual(['milk']);
  });
});

describe('storage=local with a full quota', () => {
  it('shows an error, loses nothing saved, and saves the pending todo once there is room', async () => {
    const page = await openApp(browser.context, `${server.url}?storage=local`);
    await addTodo(page, 'milk');
    await addTodo(page, 'eggs');
    await eventually(async () => expect((await statusOf(page)).state).toBe('saved'));
    await eventually(async () => expect(await todoTexts(page)).toEqual(['milk', 'eggs']));

    // Fill Chromium's real localStorage quota with filler keys: halve the chunk
    // each time it no longer fits, down to a few characters (bounded loop).
    const fillers = await page.evaluate(() => {
      let chunk = 'x'.repeat(1 << 20);
      let count = 0;
      for (let attempt = 0; attempt < 200 && chunk.length >= 4; attempt++) {
        try {
          localStorage.setItem(`filler-${count}`, chunk);
          count++;
        } catch {
          chunk = chunk.slice(0, chunk.length / 2);
        }
      }
      return count;
    });
    expect(fillers).toBeGreaterThan(2);

    await addTodo(page, 'a todo that does not fit');
    await eventually(async () => {
      const status = await statusOf(page);
      expect(status.state).toBe('error');
      expect(status.text).toContain('storage is full');
    });
    // Still on screen, and what was saved before is still there, unharmed.
    expect(await todoTexts(page)).toEqual(['milk', 'eggs', 'a todo that does not fit']);
    const saved = await page.evaluate(() => localStorage.getItem('todo-web'));
    const [tables] = JSON.parse(saved ?? 'null');
    expect(Object.values(tables.todos).map((todo) => (todo as {text: string}).text)).toEqual([
      'milk',
      'eggs',
    ]);

    // Another tab opened now shows everything that was saved.
    const other = await openApp(browser.context, `${server.url}?storage=local`);
    expect(await todoTexts(other)).toEqual(['milk', 'eggs']);
    await other.close();

    // Room again: the next save carries the pending todo with it.
    await page.evaluate(() => {
      for (const key of Object.keys(localStorage)) {
        if (key.startsWith('filler-')) {
          localStorage.removeItem(key);
        }
      }
    });
    await addTodo(page, 'bread');
    await eventually(async () => expect((await statusOf(page)).state).toBe('saved'));
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    expect(await todoTexts(page)).toEqual(['milk', 'eggs', 'a todo that does not fit', 'bread']);
  });
});

// Two tabs writing at the same moment. With local storage this failed in
// Chromium until saves took turns through Web Locks (one tab ended with only
// its own 40 todos, both saying "saved"): each tab's renderer keeps its own copy
// of the area, so a getItem/setItem step alone is not atomic across tabs.
describe.each(['indexeddb', 'local'])('storage=%s, two writers', (mode) => {
  it('keeps every todo and done mark when two tabs edit at the same moment', async () => {
    const first = await openApp(browser.context, `${server.url}?storage=${mode}`);
    const second = await openApp(browser.context, `${server.url}?storage=${mode}`);
    // In the page, as fast as a script can: fill the form and submit, no waiting between.
    const addMany = (page: typeof first, prefix: string, count: number) =>
      page.evaluate(
        ([prefix, count]) => {
          const form = document.getElementById('add') as HTMLFormElement;
          const input = document.getElementById('new-todo') as HTMLInputElement;
          for (let index = 0; index < (count as number); index++) {
            input.value = `${prefix}${index}`;
            form.requestSubmit();
          }
        },
        [prefix, count] as const,
      );
    await Promise.all([addMany(first, 'a', 40), addMany(second, 'b', 40)]);
    const expected = [
      ...Array.from({length: 40}, (_, index) => `a${index}`),
      ...Array.from({length: 40}, (_, index) => `b${index}`),
    ].sort();
    for (const page of [first, second]) {
      await eventually(async () => expect((await todoTexts(page)).sort()).toEqual(expected));
    }
    // Different cells of the same rows at once: the first tab marks the second
    // tab's todos done while the second adds more.
    await Promise.all([
      first.evaluate(() => {
        // Each click re-renders the list: look the next checkbox up afresh.
        const nextUnchecked = () =>
          [...document.querySelectorAll<HTMLLIElement>('#todos li')]
            .filter((li) => li.querySelector('.text')?.textContent?.startsWith('b'))
            .map((li) => li.querySelector<HTMLInputElement>('input[type=checkbox]'))
            .find((box) => box !== null && !box.checked);
        for (let box = nextUnchecked(); box; box = nextUnchecked()) box.click();
      }),
      addMany(second, 'c', 20),
    ]);
    const all = [...expected, ...Array.from({length: 20}, (_, index) => `c${index}`)].sort();
    const done = expected.filter((text) => text.startsWith('b'));
    for (const page of [first, second]) {
      await eventually(async () => {
        expect((await todoTexts(page)).sort()).toEqual(all);
        expect((await doneTexts(page)).sort()).toEqual(done);
      });
      await eventually(async () => expect((await statusOf(page)).state).toBe('saved'));
    }
    await first.reload();
    await first.waitForSelector('body[data-ready="true"]');
    expect((await todoTexts(first)).sort()).toEqual(all);
    expect((await doneTexts(first)).sort()).toEqual(done);
  });
});
