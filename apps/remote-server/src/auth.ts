// The optional bearer token, compared in constant time.
import {createHash, timingSafeEqual} from 'node:crypto';

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * Whether an `Authorization` header carries the expected bearer token.
 * Both sides are hashed first so that the comparison takes the same time
 * whatever the lengths.
 *
 * @example
 * hasBearerToken('Bearer s3cret', 's3cret'); // true
 * hasBearerToken(undefined, 's3cret'); // false
 */
export const hasBearerToken = (header: string | undefined, token: string): boolean => {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (match === null) return false;
  return timingSafeEqual(digest(match[1]!), digest(token));
};
