// Every TSDoc example in types.ts that ends with `// <expected>` is run against the
// real store and must produce what it says.
import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {createStore} from '../src';

const source = readFileSync(new URL('../src/types.ts', import.meta.url), 'utf8');

const examples = [...source.matchAll(/@example\s*\n\s*\*\s*```ts\n([\s\S]*?)\n\s*\*\s*```/g)]
  .map((match) => match[1].replace(/^\s*\* ?/gm, ''))
  .filter((code) => /; \/\/ [^\n]+$/.test(code));

describe('TSDoc examples', () => {
  it('there are examples to check', () => {
    expect(examples.length).toBeGreaterThan(40);
  });

  it.each(examples)('%s', (code) => {
    const [, body, expected] = code.match(/^([\s\S]*); \/\/ ([^\n]+)$/)!;
    const statements = body.split(';\n');
    const last = statements.pop();
    const run = new Function('createStore', `${statements.join(';\n')};\nreturn (${last});`);
    expect(run(createStore)).toEqual(new Function(`return (${expected});`)());
  });
});
