// Packs every publishable package the way `pnpm publish` would (workspace:
// ranges rewritten to real versions) into one temporary folder.
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

export const repoRoot = join(import.meta.dirname, '..', '..', '..');

export type PackedPackage = {name: string; dir: string; tarball: string};

/** Every package under packages/, by its published name. */
export const listPackages = (): {name: string; dir: string}[] =>
  readdirSync(join(repoRoot, 'packages')).map((folder) => {
    const dir = join(repoRoot, 'packages', folder);
    const {name} = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {name: string};
    return {name, dir};
  });

export const packAll = (): Map<string, PackedPackage> => {
  const destination = mkdtempSync(join(tmpdir(), 'x-tarballs-'));
  const packed = new Map<string, PackedPackage>();
  for (const {name, dir} of listPackages()) {
    const before = new Set(readdirSync(destination));
    execFileSync('pnpm', ['pack', '--pack-destination', destination], {cwd: dir, stdio: 'pipe'});
    const [file] = readdirSync(destination).filter((entry) => !before.has(entry));
    packed.set(name, {name, dir, tarball: join(destination, file)});
  }
  return packed;
};
