// Every scenario, in the order of issue 9.

import type {Scenario} from '../types';
import s01 from './s01-set-cell';
import s02 from './s02-set-tables';
import s03 from './s03-transaction-changes';
import s04 from './s04-file-full';
import s05 from './s05-file-autosave';
import s06 from './s06-yjs-relay';
import s07 from './s07-local-storage';
import s08 from './s08-remote';
import s09 from './s09-memory';
import s10 from './s10-bundle-size';
import s11 from './s11-indexed-db-autosave';

export const SCENARIOS: Scenario[] = [s01, s02, s03, s04, s05, s06, s07, s08, s09, s10, s11];

export const scenarioById = (id: string): Scenario | undefined =>
  SCENARIOS.find((scenario) => scenario.id === id);
