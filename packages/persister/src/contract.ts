export type * from './contract/harness';
