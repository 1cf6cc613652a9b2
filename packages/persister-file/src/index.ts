export {FileMovedAsideError, InvalidStoredVersionError, UnreadableFileError} from './contentFile';
export type {FilePersister, FilePersisterOptions} from './createFilePersister';
export {createFilePersister} from './createFilePersister';
