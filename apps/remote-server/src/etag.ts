// A strong ETag per version: a hash of the content in a canonical form (keys
// sorted), so that the same content always has the same ETag, whatever order
// its keys arrived in, and a new ETag means new content.
import {createHash} from 'node:crypto';
import {canonicalJson} from '@x/persister';
import type {Content} from '@x/store';

/**
 * The strong ETag of some content: `"` + base64url(SHA-256(canonical JSON)) + `"`.
 *
 * @example
 * etagOf([{}, {}]); // '"RBNvo1WzZ4oRRq0W9-hknpT7T8If536DEMBg9hyq_4o"'
 */
export const etagOf = (content: Content): string =>
  `"${createHash('sha256').update(canonicalJson(content)).digest('base64url')}"`;
