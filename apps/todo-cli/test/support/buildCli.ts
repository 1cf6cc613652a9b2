// Vitest global setup: the tests run dist/cli.js as a process, so build it from the
// current source first (turbo builds only this app's dependencies before tests).
import {execFileSync} from 'node:child_process';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

export default function setup(): void {
  const appFolder = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  execFileSync(join(appFolder, '..', '..', 'node_modules', '.bin', 'tsup'), ['--silent'], {
    cwd: appFolder,
    stdio: 'inherit',
  });
}
