/**
 * Human output. Library code logs through this interface and never writes to stdout;
 * the CLI backs it with consola writing to stderr.
 */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug(message: string): void;
  success(message: string): void;
}

export const silentLogger: Logger = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  success() {},
};
