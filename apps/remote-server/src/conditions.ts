// RFC 9110 conditional request headers: If-Match uses the strong comparison,
// If-None-Match the weak one (a `W/` prefix is ignored).

const listOf = (header: string): string[] =>
  header
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');

const opaque = (tag: string): string => (tag.startsWith('W/') ? tag.slice(2) : tag);

/**
 * Whether an `If-Match` header passes for the current ETag (`undefined` when
 * the document does not exist). Weak tags never match (strong comparison).
 *
 * @example
 * ifMatchPasses('"a", "b"', '"b"'); // true
 * ifMatchPasses('*', undefined); // false
 */
export const ifMatchPasses = (header: string, etag: string | undefined): boolean => {
  if (etag === undefined) return false;
  return listOf(header).some((tag) => tag === '*' || (!tag.startsWith('W/') && tag === etag));
};

/**
 * Whether an `If-None-Match` header matches the current ETag, which means
 * `304` for a GET and `412` for a POST.
 *
 * @example
 * ifNoneMatchMatches('W/"a"', '"a"'); // true
 * ifNoneMatchMatches('*', undefined); // false
 */
export const ifNoneMatchMatches = (header: string, etag: string | undefined): boolean => {
  if (etag === undefined) return false;
  return listOf(header).some((tag) => tag === '*' || opaque(tag) === opaque(etag));
};
