// The one error a backend throws on purpose: "storage moved on since I last
// read or wrote it" (HTTP 412). The core answers by reloading, not by reporting.

/**
 * Thrown from `setPersisted` when storage holds a version newer than the one
 * this persister last read or wrote. The persister then reloads, re-applies its
 * pending local changes on top and saves again.
 *
 * @example
 * ```ts
 * const setPersisted = async (getContent: () => PersistedContent) => {
 *   const response = await fetch(url, {method: 'POST', headers: {'If-Match': etag}, body: JSON.stringify(getContent())});
 *   if (response.status === 412) throw new PersisterConflictError();
 * };
 * ```
 */
export class PersisterConflictError extends Error {
  constructor(message = 'Storage was changed by another writer') {
    super(message);
    this.name = 'PersisterConflictError';
  }
}

/** Also true for a PersisterConflictError from another copy of this package (ESM and CJS). */
export const isConflictError = (error: unknown): boolean =>
  error instanceof PersisterConflictError ||
  (error instanceof Error && error.name === 'PersisterConflictError');
