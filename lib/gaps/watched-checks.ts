import { join } from 'node:path';
import type { Git } from '../git/git.ts';
import type { Fingerprint } from '../git/fingerprint.ts';
import type { CheckResult } from '../runner/run-check.ts';
import type { Clock } from '../util/clock.ts';

/** A command the scan ran: named in every output format. */
export interface CommandRun {
  detector: string;
  check: string;
  command: string;
  exit_code: number;
  timed_out?: boolean;
}

/** A check that left the workspace other than it found it. */
export interface WorkspaceChange {
  detector: string;
  check: string;
  command: string;
  paths: string[];
}

const DEFAULT_CHECK_TIMEOUT_MS = 60_000;

/**
 * The repository's own code, run in the open: every mechanical check of a scan goes through
 * here, one at a time (so a change is blamed on the check that made it), is recorded, and is
 * bracketed by fingerprints of the workspace — tracked, untracked and ignored files, and git's
 * HEAD, refs, staging, config and hooks. The first fingerprint is taken before the first check.
 */
export class WatchedChecks {
  readonly runs: CommandRun[] = [];
  readonly changes: WorkspaceChange[] = [];
  private last: Promise<Fingerprint> | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly context: {
      root: string;
      runsDir: string;
      git: Git;
      env: Readonly<Record<string, string | undefined>>;
      clock: Clock;
      /** Refs others change meanwhile (sibling runs' branches): not a check's doing. */
      siblingRefs?: (ref: string) => boolean;
    },
  ) {}

  // Imported on the first check: a scan that runs none (a hook) never loads them.
  private async fingerprint(): Promise<Fingerprint> {
    const { fingerprintOf } = await import('../git/fingerprint.ts');
    return fingerprintOf(this.context);
  }

  run(detector: string, check: { id: string; argv: readonly string[]; cwd?: string; timeoutMs?: number }): Promise<CheckResult> {
    const next = this.queue.then(async () => {
      const before = await (this.last ??= this.fingerprint());
      const { root, env, clock } = this.context;
      const [{ runCheck }, { changedPaths, compareFingerprints, hasChanges }] = await Promise.all([import('../runner/run-check.ts'), import('../git/fingerprint.ts')]);
      const result = await runCheck({
        id: check.id,
        argv: check.argv,
        cwd: check.cwd ? join(root, check.cwd) : root,
        timeoutMs: check.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS,
        env,
        clock,
        redact: { paths: [[root, '<workspace>']] },
      });
      const after = this.fingerprint();
      this.last = after;
      const changes = compareFingerprints(before, await after);
      this.runs.push({ detector, check: check.id, command: result.command, exit_code: result.exit_code, ...(result.timed_out ? { timed_out: true } : {}) });
      if (hasChanges(changes)) this.changes.push({ detector, check: check.id, command: result.command, paths: changedPaths(changes) });
      return result;
    });
    this.queue = next.catch(() => {});
    return next;
  }
}
