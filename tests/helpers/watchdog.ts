import { spawnSync } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { REPO_ROOT } from './cli.ts';

/**
 * Tests that put a FIFO where a file should be must fail, not hang, if a read ever blocks.
 * `withinMs` races the work against a timer; on timeout it opens the write end of the given
 * FIFOs, which releases a reader stuck in open(2) or read(2), so the process can still exit.
 */
export async function withinMs<T>(ms: number, what: string, work: () => Promise<T>, fifos: readonly string[] = []): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      for (const fifo of fifos) unblockFifo(fifo);
      reject(new Error(`${what}: did not finish within ${ms} ms (blocked on a FIFO?)`));
    }, ms);
  });
  try {
    return await Promise.race([work(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Opens and closes the write end of a FIFO, so that a blocked reader gets end-of-file. */
export function unblockFifo(path: string): void {
  try {
    closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
  } catch {
    // No reader waiting (ENXIO) or already gone: nothing to release.
  }
}

/**
 * Runs an ES module snippet (TypeScript imports allowed, `await` at top level) in a child
 * process with a hard timeout: for synchronous reads, which would block this process's event
 * loop and any timer with it. Returns the child's stdout; throws on timeout or failure.
 */
export function runIsolated(source: string, timeoutMs = 15_000): string {
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
  });
  if (result.error || result.signal) throw new Error(`isolated snippet did not finish within ${timeoutMs} ms (${result.signal ?? result.error?.message})`);
  if (result.status !== 0) throw new Error(`isolated snippet failed (exit ${result.status}):\n${result.stderr}`);
  return result.stdout;
}
