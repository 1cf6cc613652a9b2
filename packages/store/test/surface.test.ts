// Every method the Store interface declares exists at run time (some are generated).
import {readFileSync} from 'node:fs';
import {expect, it} from 'vitest';
import {createStore} from '../src';

it('createStore returns an object with every Store method', () => {
  const source = readFileSync(new URL('../src/types.ts', import.meta.url), 'utf8');
  const body = source.slice(source.indexOf('export interface Store {'));
  const names = [...body.matchAll(/^ {2}(\w+)(?:<\w+>)?\(/gm)].map((match) => match[1]);
  expect(names.length).toBeGreaterThan(80);
  const store = createStore() as unknown as Record<string, unknown>;
  expect(names.filter((name) => typeof store[name] !== 'function')).toEqual([]);
});
