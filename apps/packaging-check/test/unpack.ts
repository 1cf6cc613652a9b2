// Unpacks a tarball into a fresh folder (npm tarballs hold one `package/` folder).
import {execFileSync} from 'node:child_process';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

export const unpack = (tarball: string): string => {
  const folder = mkdtempSync(join(tmpdir(), 'x-unpacked-'));
  execFileSync('tar', ['-xzf', tarball, '-C', folder]);
  return join(folder, 'package');
};
