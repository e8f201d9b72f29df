/**
 * An error the user can act on: bad input, configuration or a refusal. The CLI prints its
 * message (and hint) without a stack trace and exits with `exitCode` (2 unless stated).
 */
export class AutopackError extends Error {
  readonly exitCode: number;
  readonly hint: string | undefined;
  /** Extra lines printed under the message (named so as not to look like a test framework's diff). */
  readonly extraLines: string[];

  constructor(message: string, options: { exitCode?: number; hint?: string; extraLines?: string[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AutopackError';
    this.exitCode = options.exitCode ?? 2;
    this.hint = options.hint;
    this.extraLines = options.extraLines ?? [];
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
