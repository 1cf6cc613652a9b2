// A strong ETag per version: a hash of the content in a canonical form (keys
// sorted), so that the same content always has the same ETag, whatever order
// its keys arrived in, and a new ETag means new content. The `{version}` of a
// versioned document is part of it: the same tables at another version are
// another document (a PATCH made for one never lands on the other).
import {createHash} from 'node:crypto';
import {canonicalJson, type PersistedContent} from '@x/persister';

/**
 * The strong ETag of a document: `"` + base64url(SHA-256(canonical JSON)) + `"`.
 *
 * @example
 * etagOf([{}, {}]); // '"RBNvo1WzZ4oRRq0W9-hknpT7T8If536DEMBg9hyq_4o"'
 * etagOf([{}, {}, {version: 2}]); // another ETag
 */
export const etagOf = (content: PersistedContent): string =>
  `"${createHash('sha256').update(canonicalJson(content)).digest('base64url')}"`;
