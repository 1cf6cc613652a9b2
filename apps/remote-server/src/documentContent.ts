// What a document holds: `[tables, values]`, or `[tables, values, {version}]`
// when a client created with a `version` wrote it. The third element is kept
// as it came, so that every client reads back the version it was written with.
import {type PersistedContent, validateContent, validatePersisted} from '@x/persister';
import type {Content} from '@x/store';

/**
 * The version of a document's data shape: its third element's, `0` without one.
 *
 * @example
 * contentVersionOf([{}, {}, {version: 2}]); // 2
 * contentVersionOf([{}, {}]); // 0
 */
export const contentVersionOf = (document: PersistedContent): number =>
  document.length === 3 ? document[2].version : 0;

/**
 * A document as it is stored and served: `[tables, values]` at version 0
 * (exactly as before versions existed), `[tables, values, {version}]` above.
 *
 * @example
 * withContentVersion([{}, {open: true}], 2); // [{}, {open: true}, {version: 2}]
 */
export const withContentVersion = (content: Content, version: number): PersistedContent =>
  version === 0 ? content : [content[0], content[1], {version}];

/**
 * Checks a POSTed (or stored) document: `[tables, values]`, or `[tables,
 * values, {version}]` with a non-negative integer `version` (`{version: 0}`
 * is the same as none, and is stored without it). `[tables]` alone is refused,
 * as before. Throws a TypeError naming the bad path.
 *
 * @example
 * validateDocument([{}, {}, {version: 2}]); // [{}, {}, {version: 2}]
 * validateDocument([{}, {}, {version: -1}]); // throws TypeError: content[2].version: ...
 */
export const validateDocument = (value: unknown): PersistedContent => {
  if (Array.isArray(value) && value.length === 3) {
    // validatePersisted checks the third element: `{version}`, a non-negative integer.
    const [tables, values, meta] = validatePersisted(value) as [
      Content[0],
      Content[1],
      {version: number},
    ];
    return withContentVersion([tables, values], meta.version);
  }
  return validateContent(value);
};
