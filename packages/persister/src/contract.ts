export {sameContent} from './canonical-json';
export type * from './contract/harness';
export {runPersisterContract} from './contract/run-persister-contract';
export type {ContractMatchers, ContractTestApi} from './contract/test-api';
export {waitFor} from './contract/wait-for';
