import type { Logger } from './logger.ts';
import { escapeRunnerCommands } from './runner-commands.ts';

export interface StderrLoggerOptions {
  /** Where human messages go; never stdout, which carries only machine output. */
  stream: NodeJS.WritableStream & { isTTY?: boolean };
  /** Debug messages too. */
  debug?: boolean;
  /** `NO_COLOR` and `CI` turn colours and the fancy layout off. */
  env: Record<string, string | undefined>;
}

/**
 * consola's fancy build for terminals; hooks, CI and pipes get its basic build, which imports a
 * third as much.
 */
function loadConsola(fancy: boolean) {
  return fancy ? import('consola') : import('consola/basic');
}

/** A consola logger writing to the given stream only (its stdout and stderr are both that stream). */
export async function createStderrLogger(options: StderrLoggerOptions): Promise<Logger> {
  const terminal = Boolean(options.stream.isTTY);
  const fancy = terminal && !options.env.NO_COLOR && !options.env.CI;
  const { createConsola } = await loadConsola(fancy);
  const consola = createConsola({
    stdout: options.stream as NodeJS.WriteStream,
    stderr: options.stream as NodeJS.WriteStream,
    level: options.debug ? 4 : 3,
    fancy,
    formatOptions: { date: false, colors: !options.env.NO_COLOR && terminal },
  });
  // Messages name files and keys the repository chose: no line of them may start a CI runner's command.
  return {
    info: (message) => consola.info(escapeRunnerCommands(message)),
    warn: (message) => consola.warn(escapeRunnerCommands(message)),
    error: (message) => consola.error(escapeRunnerCommands(message)),
    debug: (message) => consola.debug(escapeRunnerCommands(message)),
    success: (message) => consola.success(escapeRunnerCommands(message)),
  };
}
