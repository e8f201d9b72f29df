import process from 'node:process';
import { findProcessesInside } from './process-sweep.ts';

/**
 * Ends the run at once, from inside the worker: every process still running in its worktree
 * (including those that left the group with setsid), then the worker's own process group,
 * itself included. Used when the supervisor is gone: nobody is left to report to.
 */
export function stopRunNow(worktree: string): never {
  for (const stray of findProcessesInside(worktree)) {
    if (stray.pid === process.pid) continue;
    try {
      process.kill(stray.pid, 'SIGKILL');
    } catch {
      /* gone already */
    }
  }
  try {
    // The worker was forked detached: it leads its own process group.
    process.kill(-process.pid, 'SIGKILL');
  } catch {
    /* not a group leader (an unusual fork): at least this process */
  }
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
}
