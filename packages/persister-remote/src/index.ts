export {
  createRemotePersister,
  type RemotePersister,
  type RemotePersisterOptions,
} from './createRemotePersister';
