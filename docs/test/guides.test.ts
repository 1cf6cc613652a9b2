// The guides' examples run as they stand. Each example is a file in examples/
// (type-checked under strict by this folder's typecheck); the guide shows it in a
// ```ts block right after `<!-- example: examples/NAME.ts -->`, and the block
// must equal the file. Running the file must print, in order, what its
// `// -> ` comments say (strings as printed, anything else as JSON).
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it, vi} from 'vitest';

const docs = join(import.meta.dirname, '..');
const read = (path: string) => readFileSync(join(docs, path), 'utf8');
const examples = readdirSync(join(docs, 'examples')).filter((name) => name.endsWith('.ts'));
const guides = readdirSync(join(docs, 'guides')).filter((name) => name.endsWith('.md'));

/** Every example a guide shows: the file it names and the code block under it. */
const shownIn = (guide: string) =>
  [...read(`guides/${guide}`).matchAll(/<!-- example: (\S+) -->\s*```ts\n([\s\S]*?)```/g)].map(
    ([, file, block]) => ({file: file!, block: block!}),
  );

afterEach(() => {
  vi.restoreAllMocks();
});

describe.each(guides)('guides/%s', (guide) => {
  it('shows its examples exactly as they are in examples/', () => {
    const shown = shownIn(guide);
    expect(shown.length).toBeGreaterThan(0);
    for (const {file, block} of shown) expect(block, file).toBe(read(file));
  });
});

it('every example is shown in a guide', () => {
  const shown = guides.flatMap((guide) => shownIn(guide).map(({file}) => file));
  expect(examples.map((name) => `examples/${name}`).sort()).toEqual([...new Set(shown)].sort());
});

describe.each(examples)('examples/%s', (name) => {
  it('runs and prints what its comments say', async () => {
    const expected = [...read(`examples/${name}`).matchAll(/^\s*\/\/ -> (.*)$/gm)].map(
      ([, line]) => line,
    );
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((value: unknown) => {
      printed.push(typeof value === 'string' ? value : JSON.stringify(value));
    });
    await import(join(docs, 'examples', name));
    expect(printed).toEqual(expected);
  });
});
