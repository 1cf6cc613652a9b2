import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {docs} from '@y/websocket-server/utils';
import {type BrowserContext, chromium, type Page} from 'playwright-core';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {chromiumLaunchOptions} from '../../../scripts/chromium';
import {startCollabServer} from '../server/collab-server.mjs';

let server: Awaited<ReturnType<typeof startCollabServer>>;
let context: BrowserContext;
let profileDir: string;

beforeAll(async () => {
  server = await startCollabServer({port: 0});
  profileDir = await mkdtemp(join(tmpdir(), 'collab-e2e-'));
  context = await chromium.launchPersistentContext(profileDir, chromiumLaunchOptions);
});

afterAll(async () => {
  await context?.close();
  await server?.close();
  await rm(profileDir, {recursive: true, force: true});
});

const openList = async (room: string): Promise<Page> => {
  const page = await context.newPage();
  await page.goto(`${server.url}/?room=${room}`);
  await page.waitForSelector('body[data-ready="true"]');
  return page;
};

const itemTexts = (page: Page) => page.locator('[data-testid=item] span').allTextContents();

describe('the shared list in Chromium', () => {
  it('shows an edit made in one page in the other, through the server', async () => {
    const room = `e2e-${Date.now()}`;
    const one = await openList(room);
    const two = await openList(room);

    await one.fill('[data-testid=new-item]', 'milk');
    await one.press('[data-testid=new-item]', 'Enter');
    await two.locator('[data-testid=item]', {hasText: 'milk'}).waitFor();
    expect(await itemTexts(two)).toEqual(['milk']);

    await two.fill('[data-testid=new-item]', 'eggs');
    await two.press('[data-testid=new-item]', 'Enter');
    await two.locator('[data-testid=item]', {hasText: 'milk'}).getByRole('checkbox').check();
    await one.locator('li.done', {hasText: 'milk'}).waitFor();
    await one.locator('[data-testid=item]', {hasText: 'eggs'}).waitFor();
    expect(await itemTexts(one)).toEqual(['milk', 'eggs']);

    await one.locator('[data-testid=item]', {hasText: 'milk'}).getByRole('button').click();
    await two.locator('[data-testid=item]', {hasText: 'milk'}).waitFor({state: 'detached'});
    expect(await itemTexts(two)).toEqual(['eggs']);

    // The tabs do not talk to each other directly: the server's doc holds the list.
    const tables = docs.get(room)?.getMap('store').toJSON() as {t: {items: object}} | undefined;
    // A deleted row can leave an empty row map behind: it is no row.
    const rows = Object.values(tables?.t.items ?? {}).filter((row) => Object.keys(row).length > 0);
    expect(rows).toEqual([expect.objectContaining({text: 'eggs', done: false})]);
    await Promise.all([one.close(), two.close()]);
  });

  it('serves the page, and nothing outside its folder', async () => {
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Shared list');
    expect((await fetch(`${server.url}/..%2fpackage.json`)).status).toBe(403);
    expect((await fetch(`${server.url}/nope.js`)).status).toBe(404);
  });
});
