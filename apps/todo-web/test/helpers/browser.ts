// Debian's Chromium under playwright-core, launched as TOOLCHAIN.md says, with
// a fresh profile folder per test (so storage starts empty) removed afterwards.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {type BrowserContext, chromium} from 'playwright-core';
import {chromiumLaunchOptions} from '../../../../scripts/chromium';

export type Browser = {context: BrowserContext; close(): Promise<void>};

export const launchBrowser = async (): Promise<Browser> => {
  const profile = mkdtempSync(join(tmpdir(), 'todo-web-chromium-'));
  const context = await chromium.launchPersistentContext(profile, chromiumLaunchOptions);
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, {recursive: true, force: true});
    },
  };
};
