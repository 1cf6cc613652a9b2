/** A failure the user should read as one line on stderr, with the process's exit code. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    /** 2 for usage mistakes, 1 for everything else. */
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

/** One line, whatever the error's message holds. */
export const oneLine = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ');
