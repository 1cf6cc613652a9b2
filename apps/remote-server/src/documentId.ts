// Document ids become file names: only a safe, portable alphabet is allowed,
// so no id can name a path outside the data folder ('..', '/', '\\', '%2F', NUL...).

/** Letters, digits, `_` and `-`, 1 to 128 of them. */
export const DOCUMENT_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Whether a raw (undecoded) path segment is an acceptable document id.
 *
 * @example
 * isDocumentId('todo-list_1'); // true
 * isDocumentId('..%2Fetc'); // false
 */
export const isDocumentId = (segment: string): boolean => DOCUMENT_ID_PATTERN.test(segment);
