// The persister's status, as TinyBase users import it: `Status.Idle` and so on.

/**
 * The three statuses of a persister, by name.
 *
 * @example
 * ```ts
 * if (persister.getStatus() === Status.Saving) console.log('saving…');
 * ```
 */
export const Status = {Idle: 0, Loading: 1, Saving: 2} as const;
