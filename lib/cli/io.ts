import { appendFile } from 'node:fs/promises';
import { renderOutput } from '../report/render.ts';
import type { ReportContext } from '../report/types.ts';
import { errorMessage } from '../util/errors.ts';
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

/**
 * Prints a command's result on stdout in the chosen format, through that format's reporter.
 * When the reporter has a step summary and `$GITHUB_STEP_SUMMARY` names a file (GitHub Actions),
 * the summary is appended to it here, the one place autopack writes it. A summary that cannot be
 * written is a warning: the result on stdout is what counts.
 */
export async function emit(io: CliIo, kind: string, format: unknown, value: unknown, extra: Pick<ReportContext, 'detectors'> = {}): Promise<void> {
  const output = await renderOutput(kind, String(format), value, { cwd: io.cwd, env: io.env, ...extra });
  io.stdout(output.stdout);
  const summaryFile = io.env.GITHUB_STEP_SUMMARY;
  if (output.stepSummary === undefined || !summaryFile) return;
  try {
    await appendFile(summaryFile, output.stepSummary);
  } catch (error) {
    io.stderr.write(`autopack: warning: cannot append the step summary to ${summaryFile} ($GITHUB_STEP_SUMMARY): ${errorMessage(error)}\n`);
  }
}
