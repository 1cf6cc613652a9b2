// The opening of a package README, as the docs tests check it: the title, the
// install line, the example (the first ```ts block) and the API reference line.
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

const root = join(import.meta.dirname, '..', '..', '..');

/** The README opening of `packages/<folder>`. */
export const readmeOpening = (folder: string) => {
  const readme = readFileSync(join(root, 'packages', folder, 'README.md'), 'utf8');
  const example = readme.match(/```ts\n([\s\S]*?)```/)?.[1] ?? '';
  return {
    readme,
    title: readme.split('\n')[0],
    install: readme.match(/```sh\n(npm install [^\n]*)\n```/)?.[1],
    example,
    exampleLines: example.split('\n').filter((line) => line.trim() !== '').length,
    /** Where the opening says the API pages are. */
    apiPage: readme.match(/\*\*API reference:\*\*[\s\S]*?`(docs\/site\/modules\/[^`]+)`/)?.[1],
  };
};

/**
 * Writes the example to docs/.readme-examples/ (so that it resolves the
 * packages as a user's file would) and returns its path, ready to import.
 */
export const writeExample = (folder: string, code: string) => {
  const dir = join(import.meta.dirname, '..', '..', '.readme-examples');
  mkdirSync(dir, {recursive: true});
  const file = join(dir, `${folder}.ts`);
  writeFileSync(file, code);
  return file;
};
