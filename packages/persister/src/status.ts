// The persister's status, as TinyBase users import it: `Status.Idle` and so on.

/**
 * The three statuses of a persister, by name.
 *
 * @example
 * ```ts
 * if (persister.getStatus() === Status.Saving) console.log('saving…');
 * ```
 */
export const Status = {
  /** Neither reading nor writing storage. */
  Idle: 0,
  /** Reading storage (`getPersisted` runs). */
  Loading: 1,
  /** Writing storage (`setPersisted` runs). */
  Saving: 2,
} as const;
