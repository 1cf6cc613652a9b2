export type * from './contract/harness';
export {runPersisterContract} from './contract/run-persister-contract';
export type {ContractMatchers, ContractTestApi} from './contract/test-api';
export {sameContent, waitFor} from './contract/wait-for';
