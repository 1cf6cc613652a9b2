export {createIndexedDbPersister, type IndexedDbPersister} from './indexedDbPersister';
export {createLocalPersister} from './localPersister';
export {createSessionPersister} from './sessionPersister';
export type {StoragePersister} from './storagePersister';
