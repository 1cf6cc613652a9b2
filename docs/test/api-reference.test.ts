// The API reference stays complete: TypeDoc converts every public package as
// `pnpm docs` does (without writing the site) and finds no exported symbol or
// member without TSDoc, no function or class without an @example, no broken
// {@link} and no broken relative link in a README or guide. A failure lists TypeDoc's messages: document what they name
// (see CONTRIBUTING.md, "API documentation").
import {expect, it} from 'vitest';
import {checkApi} from '../api-check.mjs';

it('documents every export of every public package, with no broken link', async () => {
  const result = await checkApi();
  expect(result.problems).toEqual([]);
  expect(result.modules.sort()).toEqual([
    '@x/persister',
    '@x/persister-browser',
    '@x/persister-file',
    '@x/persister-remote',
    '@x/persister-yjs',
    '@x/persister/contract',
    '@x/store',
  ]);
  expect(result.exportedDocumented).toBe(result.exported);
});
