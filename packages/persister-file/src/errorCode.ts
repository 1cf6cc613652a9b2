/** True when `error` is a Node system error with this `code` (ENOENT, EEXIST, ...). */
export const hasCode = (error: unknown, code: string): boolean =>
  typeof error === 'object' && error !== null && (error as {code?: unknown}).code === code;
