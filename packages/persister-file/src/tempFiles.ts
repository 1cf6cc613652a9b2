// Names of the files the persister makes next to the data file. They start with a dot
// (hidden in listings), carry the data file's name (so two data files in one folder never
// touch each other's) and the writer's pid (so a leftover's owner can be checked).
import {randomBytes} from 'node:crypto';

const TEMP_SUFFIX = '.tmp';
const RANDOM_HEX_LENGTH = 12;

/** `.<name>.<pid>.<12 hex>.tmp` */
export const tempFileName = (name: string): string =>
  `.${name}.${process.pid}.${randomBytes(RANDOM_HEX_LENGTH / 2).toString('hex')}${TEMP_SUFFIX}`;

/** The writer's pid if `entry` is one of our temporary files for `name`, else undefined. */
export const tempFileOwner = (entry: string, name: string): number | undefined => {
  const prefix = `.${name}.`;
  if (!entry.startsWith(prefix) || !entry.endsWith(TEMP_SUFFIX)) {
    return undefined;
  }
  const match = /^(\d+)\.([0-9a-f]+)$/.exec(entry.slice(prefix.length, -TEMP_SUFFIX.length));
  return match && match[2].length === RANDOM_HEX_LENGTH ? Number(match[1]) : undefined;
};

/** `.<name>.lock` */
export const lockFileName = (name: string): string => `.${name}.lock`;

/** `<file>.corrupt-<ISO time with dashes for colons>[-n]` */
export const corruptFilePath = (target: string, date: Date, attempt: number): string =>
  `${target}.corrupt-${date.toISOString().replace(/:/g, '-')}${attempt ? `-${attempt}` : ''}`;
