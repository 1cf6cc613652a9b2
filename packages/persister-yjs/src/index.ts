export type {YjsPersister} from './create-yjs-persister';
export {createYjsPersister} from './create-yjs-persister';
export {YjsLayoutError} from './layout';
