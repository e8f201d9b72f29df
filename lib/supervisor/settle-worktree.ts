import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SupervisedRun } from '../contracts/supervisor-result.ts';
import { stopProcessesInside } from './process-sweep.ts';
import { holdsWorkMessage, type RunContext } from './run-one.ts';
import { commitsAhead, describeWork, inspectWork, type WorkState } from './work-state.ts';
import { deleteBranchIfEmpty, removeWorktree } from './worktree.ts';
import { adminDir } from './worktree-create.ts';

function recordWork(record: SupervisedRun, state: WorkState): void {
  if (state.head) record.head = state.head;
  record.dirty_files = state.dirty;
  record.unreferenced_commits = state.unreferencedCommits;
}

/** The branch a worktree has checked out, read from its admin folder's HEAD; undefined when detached. */
function checkedOutBranch(worktree: string): string | undefined {
  const admin = adminDir(worktree);
  if (!admin) return undefined;
  try {
    return /^ref: refs\/heads\/(.+)$/m.exec(readFileSync(join(admin, 'HEAD'), 'utf8'))?.[1]?.trim();
  } catch {
    return undefined;
  }
}

async function stopStrays(runId: string, worktree: string, context: RunContext, options: { exclude?: readonly number[]; startedSince?: string } = {}): Promise<void> {
  const stray = await stopProcessesInside(worktree, options);
  if (stray.length > 0) context.event('stray_processes_stopped', { run_id: runId, pids: stray.map((p) => p.pid) });
}

/**
 * What an earlier run of this id left at the worktree's path: its processes are stopped, then
 * the worktree is removed, unless it holds work and the operator did not say --discard-work.
 */
export async function clearLeftover(runId: string, worktree: string, base: string, context: RunContext, record: SupervisedRun, workerPid?: number): Promise<void> {
  // No folder, no leftovers: whoever removed it stopped what ran inside first.
  if (!existsSync(worktree)) return;
  await stopStrays(runId, worktree, context, { exclude: workerPid === undefined ? [] : [workerPid] });
  const before = await inspectWork(context.git, worktree);
  if (!before.exists) return;
  if (before.holdsWork && !context.discardWork) {
    recordWork(record, before);
    record.worktree_kept = true;
    record.kept_reason = before.uninspectable ? 'uninspectable' : 'holds_work';
    throw new Error(`${holdsWorkMessage(runId, worktree, before)}; review it, or pass --discard-work`);
  }
  const removed = await removeWorktree(context.git, worktree, base, { force: before.holdsWork || before.unfinished });
  if (!removed.removed) throw new Error(`could not remove the earlier worktree ${worktree}: ${removed.refusal}`);
  if (before.holdsWork) {
    record.discarded_work = describeWork(before);
    context.event('work_discarded', { run_id: runId, worktree, work: record.discarded_work });
  }
}

/**
 * After the worker: stray processes stopped, the work inspected and recorded; the worktree is
 * kept when it holds work (or --keep-worktrees), else removed, and its branch deleted only when
 * the branch has no commit of its own. For the common case, a complete worktree on a branch,
 * git's own clean check of `worktree remove` (no --force: changes and untracked files make it
 * refuse) is the inspection; only a refusal leads to a full look at what it holds.
 */
export async function settleWorktree(
  runId: string,
  worktree: string,
  base: string,
  branch: string,
  context: RunContext,
  record: SupervisedRun,
  run: { checkedOut: boolean; workerStart?: string | undefined },
): Promise<void> {
  const checkedOut = run.checkedOut;
  // What the run started is younger than its worker (Linux: kernel start times).
  await stopStrays(runId, worktree, context, run.workerStart ? { startedSince: run.workerStart } : {});
  const removed = () => {
    record.worktree_kept = false;
    context.event('worktree_removed', { run_id: runId });
  };
  const onBranch = checkedOut && !context.keepWorktrees ? checkedOutBranch(worktree) : undefined;
  if (onBranch) {
    // The reads of the branch run alongside the removal: neither waits for the other.
    const [attempt, tip, own] = await Promise.all([
      removeWorktree(context.git, worktree, base),
      context.git.run(['rev-parse', '--verify', '--quiet', `refs/heads/${onBranch}^{commit}`]),
      context.git.run(['rev-list', '--count', `refs/heads/${onBranch}`, '--not', `--exclude=refs/heads/${onBranch}`, '--glob=refs/*']),
    ]);
    if (attempt.removed) {
      removed();
      if (tip.exit_code === 0) {
        record.head = tip.stdout.trim();
        const ahead = await commitsAhead(context.git, context.base, record.head);
        if (ahead !== undefined) record.commits_ahead = ahead;
      }
      Object.assign(record, { unreferenced_commits: 0, dirty_files: { count: 0, paths: [] } });
      const empty = onBranch === branch && record.head !== undefined && own.exit_code === 0 && own.stdout.trim() === '0';
      // Compare-and-delete: a branch that moved since it was read stays.
      if (empty && (await context.git.run(['update-ref', '-d', `refs/heads/${branch}`, record.head!])).exit_code === 0) {
        context.event('branch_deleted', { run_id: runId, branch, reason: 'no commits of its own' });
      } else if (onBranch !== branch && (await deleteBranchIfEmpty(context.git, branch))) {
        context.event('branch_deleted', { run_id: runId, branch, reason: 'no commits of its own' });
      }
      return;
    }
  }
  // Not checked out: no worker ever started there, and git's list says whether it is unfinished.
  const after = await inspectWork(context.git, worktree, { ours: checkedOut });
  if (after.unfinished) {
    await removeWorktree(context.git, worktree, base, { force: true });
    return removed();
  }
  recordWork(record, after);
  if (after.head) {
    const ahead = await commitsAhead(context.git, context.base, after.head);
    if (ahead !== undefined) record.commits_ahead = ahead;
  }
  const keep = (reason: NonNullable<SupervisedRun['kept_reason']>, detail?: string) => {
    record.worktree_kept = true;
    record.kept_reason = reason;
    context.event('worktree_kept', { run_id: runId, worktree, reason, ...(detail ? { detail } : {}) });
  };
  if (after.holdsWork) return keep(after.uninspectable ? 'uninspectable' : 'holds_work', describeWork(after));
  if (context.keepWorktrees) return keep('keep_worktrees');
  const attempt = await removeWorktree(context.git, worktree, base);
  if (!attempt.removed) return keep('removal_refused', attempt.refusal);
  removed();
  if (await deleteBranchIfEmpty(context.git, branch, after.branch === branch ? after.head : undefined)) context.event('branch_deleted', { run_id: runId, branch, reason: 'no commits of its own' });
}
