/** Where the todos are kept: chosen by `?storage=local|indexeddb` (local by default). */
export type StorageMode = 'local' | 'indexeddb';

export const getStorageMode = (search: string): StorageMode =>
  new URLSearchParams(search).get('storage') === 'indexeddb' ? 'indexeddb' : 'local';
