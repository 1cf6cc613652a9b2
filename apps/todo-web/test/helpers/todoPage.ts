// Drives the app the way a person does: through its form, checkboxes and buttons.
import type {BrowserContext, Page} from 'playwright-core';
import {vi} from 'vitest';

export const openApp = async (context: BrowserContext, url: string, page?: Page) => {
  const target = page ?? (await context.newPage());
  await target.goto(url);
  await target.waitForSelector('body[data-ready="true"]');
  return target;
};

export const addTodo = async (page: Page, text: string) => {
  await page.fill('#new-todo', text);
  await page.press('#new-todo', 'Enter');
};

export const todoTexts = (page: Page) => page.locator('#todos li .text').allTextContents();

export const doneTexts = (page: Page) => page.locator('#todos li.done .text').allTextContents();

export const statusOf = async (page: Page) => ({
  state: await page.getAttribute('#status', 'data-state'),
  text: await page.textContent('#status'),
});

/** Retries `check` until it passes (or fails after `timeout` ms). */
export const eventually = (check: () => Promise<void>, timeout = 10_000) =>
  vi.waitFor(check, {timeout, interval: 50});
