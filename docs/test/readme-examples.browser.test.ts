// @vitest-environment happy-dom
// The @x/persister-browser README example, in a browser-like window.
import {expect, it, vi} from 'vitest';
import {readmeOpening, writeExample} from './support/readmeOpening';

it('the @x/persister-browser example runs', async () => {
  const printed: unknown[] = [];
  vi.spyOn(console, 'log').mockImplementation((value) => printed.push(value));
  await import(writeExample('persister-browser', readmeOpening('persister-browser').example));
  expect(printed).toEqual(['[{"pets":{"fido":{"species":"dog","color":"brown"}}},{}]']);
  localStorage.clear();
});
