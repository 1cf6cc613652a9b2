export {FileMovedAsideError, UnreadableFileError} from './contentFile';
export type {FilePersister, FilePersisterOptions} from './createFilePersister';
export {createFilePersister} from './createFilePersister';
