export {canonicalJson, sameContent} from './canonical-json';
export {PersisterConflictError} from './conflict-error';
export {createCustomPersister} from './create-custom-persister';
export {createIncrementalPersister} from './create-incremental-persister';
export {createErrorReporter} from './report-error';
export {Status} from './status';
export type * from './types';
export {isValidCell, validateChanges, validateContent} from './validate-content';
