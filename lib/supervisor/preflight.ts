import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import type { Git } from '../git/git.ts';
import { AutopackError } from '../util/errors.ts';
import { inspectLock } from './lock-file.ts';
import { describeWork, inspectWork } from './work-state.ts';
import { leasePath, listWorktrees, runLockPath, worktreePath } from './worktree.ts';

/**
 * Before anything is created: a run whose worktree (left by an earlier run of the same id)
 * holds work would have to remove it. That is refused, exit 2, naming every such worktree
 * and the two ways on. A worktree in use by a live run is left to that run's lock.
 */
export async function refuseWorkInTheWay(options: {
  git: Git;
  runsDir: string;
  runIds: readonly string[];
  branchPrefix: string;
  cwd: string;
}): Promise<void> {
  const paths = options.runIds.map((runId) => worktreePath(options.runsDir, runId));
  if (!paths.some((path) => existsSync(path))) return; // nothing left by earlier runs
  const known = await listWorktrees(options.git);
  const blocked: Array<{ runId: string; line: string }> = [];
  for (const runId of options.runIds) {
    const path = worktreePath(options.runsDir, runId);
    const inUse = async () => {
      const [lock, lease] = await Promise.all([inspectLock(runLockPath(options.runsDir, runId)), inspectLock(leasePath(options.runsDir, path))]);
      return Boolean((lock && !lock.stale) || (lease && !lease.stale));
    };
    if (await inUse()) continue;
    const state = await inspectWork(options.git, path, { known });
    // A run that started meanwhile owns what it is writing: its lock speaks for it.
    if (state.holdsWork && !(await inUse())) blocked.push({ runId, line: `  ${relative(options.cwd, path) || path} has ${describeWork(state)}` });
  }
  if (blocked.length === 0) return;
  const one = blocked.length === 1 ? blocked[0] : undefined;
  const branch = one ? `${options.branchPrefix}${one.runId}` : `${options.branchPrefix}<run_id>`;
  throw new AutopackError(
    one ? `The worktree of run ${one.runId} holds work from an earlier run; nothing was started.` : `The worktrees of ${blocked.length} runs (${blocked.map((b) => b.runId).join(', ')}) hold work from earlier runs; nothing was started.`,
    {
      extraLines: blocked.map((b) => b.line),
      hint: `review ${one ? 'it' : 'them'} (git -C <worktree> status; commit what you keep to ${branch}), or pass --discard-work to throw ${one ? 'it' : 'them'} away`,
    },
  );
}
