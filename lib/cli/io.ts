import type { Logger } from '../util/logger.ts';
import { createStderrLogger } from '../util/stderr-logger.ts';

/** What the CLI layer gets from the process; bin/autopack.ts is the only place that builds it. */
export interface CliIo {
  cwd: string;
  env: Record<string, string | undefined>;
  /** Machine output (the result). */
  stdout: (text: string) => void;
  /** The stream human messages go to. */
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Set when --debug is given: stack traces and debug logs. */
  debug?: boolean;
  /** Test hook: the git program to use. */
  gitBin?: string;
  /**
   * Interrupts (SIGINT/SIGTERM), from bin. A command that cleans up after itself sets
   * `cooperative`; otherwise bin stops running checks and exits at once.
   */
  interrupt?: { signal: AbortSignal; cooperative: boolean };
}

/** A consola logger writing to stderr only: stdout stays machine output. */
export function createCliLogger(io: CliIo): Promise<Logger> {
  return createStderrLogger({ stream: io.stderr, debug: io.debug === true, env: io.env });
}
