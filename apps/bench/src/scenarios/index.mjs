// Every scenario, in the order of issue 9.
import s01 from './s01-set-cell.mjs';
import s02 from './s02-set-tables.mjs';
import s03 from './s03-transaction-changes.mjs';
import s04 from './s04-file-full.mjs';
import s05 from './s05-file-autosave.mjs';
import s06 from './s06-yjs-relay.mjs';
import s07 from './s07-local-storage.mjs';
import s08 from './s08-remote.mjs';
import s09 from './s09-memory.mjs';
import s10 from './s10-bundle-size.mjs';

export const SCENARIOS = [s01, s02, s03, s04, s05, s06, s07, s08, s09, s10];

export const scenarioById = (id) => SCENARIOS.find((scenario) => scenario.id === id);
