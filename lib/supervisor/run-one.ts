import { join } from 'node:path';
import type { SupervisedRun } from '../contracts/supervisor-result.ts';
import type { Git } from '../git/git.ts';
import type { Clock } from '../util/clock.ts';
import { errorMessage } from '../util/errors.ts';
import { acquireLock, describeHolder, inspectLock, type HeldLock } from './lock-file.ts';
import { stopProcessesInside } from './process-sweep.ts';
import type { WorkerConfig } from './protocol.ts';
import { runWorker } from './run-worker.ts';
import { commitsAhead, describeWork, inspectWork, type WorkState } from './work-state.ts';
import { createWorktree, deleteBranchIfEmpty, leasePath, refreshIndex, removeWorktree, runLockPath, worktreePath } from './worktree.ts';

export interface RunContext {
  /** The source repository. */
  git: Git;
  runsDir: string;
  projectId: string;
  env: Record<string, string | undefined>;
  clock: Clock;
  mode: WorkerConfig['mode'];
  argv?: string[];
  anchorPath?: string;
  timeoutMs: number;
  ttlMs: number;
  keepWorktrees: boolean;
  discardWork: boolean;
  branchPrefix: string;
  /** The source repository's HEAD commit: new run branches start there. */
  base: string;
  signal?: AbortSignal;
  /** Run directory of a run in the source repository. */
  runDirOf(runId: string): string;
  event(type: string, fields?: Record<string, unknown>): void;
}

export interface RunOutcome {
  record: SupervisedRun;
  /** An I/O failure (a lock or a log could not be written): the supervisor exits 1. */
  ioFailure?: Error;
}

/** The message of a refusal to touch a worktree that holds work. */
export function holdsWorkMessage(runId: string, worktree: string, state: WorkState): string {
  return `the worktree of run ${runId} holds work: ${worktree} has ${describeWork(state)}`;
}

function recordWork(record: SupervisedRun, state: WorkState): void {
  if (state.head) record.head = state.head;
  record.dirty_files = state.dirty;
  record.unreferenced_commits = state.unreferencedCommits;
}

/** Renews the run lock and the lease on the supervisor's own timer, whatever the worker's loop does. */
function startHeartbeat(locks: HeldLock[], ttlMs: number, onLost: () => void, onFailure: (error: unknown) => void): () => void {
  let reported = false;
  const timer = setInterval(() => {
    void Promise.all(locks.map((lock) => lock.renew())).then(
      (held) => held.some((ok) => !ok) && onLost(),
      (error) => {
        // A failed renewal (a full disk) loses nothing on this host, where the pids decide.
        if (!reported) onFailure(error);
        reported = true;
      },
    );
  }, Math.max(100, Math.floor(ttlMs / 3)));
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * One run under the Four-Layer model, in order and released in reverse: run lock → worktree on
 * the run's branch → workspace lease → forked worker → artifacts in the source repository's run
 * directory. `freeSlot` is called as soon as the worker is done, so the next run starts while
 * this one's worktree is still being inspected and removed. A worktree that holds work is
 * never removed (unless discardWork); whatever fails, everything taken is given back, and a
 * failure fails only this run.
 */
export async function superviseOneRun(runId: string, context: RunContext, freeSlot: () => void): Promise<RunOutcome> {
  const worktree = worktreePath(context.runsDir, runId);
  const branch = `${context.branchPrefix}${runId}`;
  const record: SupervisedRun = { run_id: runId, success: false, exit_code: null, worktree, branch, base: context.base, stdout_tail: '', stderr_tail: '' };
  const outcome: RunOutcome = { record };
  if (context.signal?.aborted) {
    record.error = 'interrupted before it started';
    freeSlot();
    return outcome;
  }
  record.started_at = context.clock.now().toISOString();
  const base = join(context.runsDir, 'workspaces');
  const finish = () => {
    freeSlot();
    record.ended_at = context.clock.now().toISOString();
    context.event('run_finished', { run_id: runId, success: record.success, exit_code: record.exit_code, ...(record.error ? { error: record.error } : {}) });
    return outcome;
  };
  let lock;
  try {
    lock = await acquireLock(runLockPath(context.runsDir, runId), { purpose: 'run_lock', resource: runId, ttlMs: context.ttlMs });
  } catch (error) {
    record.error = `could not take the run lock: ${errorMessage(error)}`;
    outcome.ioFailure = error as Error;
    return finish();
  }
  if (!lock.ok) {
    record.error = `run ${runId} is locked: ${lock.reason}`;
    context.event('run_lock_refused', { run_id: runId, reason: lock.reason });
    return finish();
  }
  context.event('run_lock_acquired', { run_id: runId, ...(lock.reclaimed ? { reclaimed: lock.reclaimed } : {}) });
  const locks: HeldLock[] = [lock.lock];
  let stopHeartbeat = () => {};
  let ownsWorktree = false;
  try {
    const existingLease = await inspectLock(leasePath(context.runsDir, worktree));
    if (existingLease && !existingLease.stale) throw new Error(`worktree ${worktree} is leased by ${describeHolder(existingLease.body)}`);
    await clearLeftover(runId, worktree, base, context, record);
    const created = await createWorktree(context.git, worktree, base, branch, context.base);
    ownsWorktree = true;
    context.event('worktree_created', { run_id: runId, worktree, branch, ...(created.branchCreated ? {} : { continued: true }) });
    await refreshIndex(context.git, worktree, { checkoutEndedAt: Date.now(), wait: context.mode === 'autopilot' });
    const lease = await acquireLock(leasePath(context.runsDir, worktree), { purpose: 'workspace_lease', resource: worktree, ttlMs: context.ttlMs });
    if (!lease.ok) throw new Error(`workspace lease refused: ${lease.reason}`);
    locks.push(lease.lock);
    context.event('lease_acquired', { run_id: runId });
    const stopper: { stop?: (reason: string) => void } = {};
    stopHeartbeat = startHeartbeat(
      locks,
      context.ttlMs,
      () => stopper.stop?.('lost its run lock or workspace lease'),
      (error) => context.event('heartbeat_failed', { run_id: runId, error: errorMessage(error) }),
    );
    const runDir = context.runDirOf(runId);
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(context.env)) if (value !== undefined) env[key] = value;
    Object.assign(env, { AUTONOMOUS_RUNS_DIR: context.runsDir, AUTOPACK_RUN_ID: runId, AUTOPACK_RUN_DIR: runDir, AUTOPACK_WORKTREE: worktree });
    const { logFailure } = await runWorker(
      {
        runId,
        config: { runId, projectId: context.projectId, worktree, runsDir: context.runsDir, runDir, mode: context.mode, ...(context.argv ? { argv: context.argv } : {}), ...(context.anchorPath ? { anchorPath: context.anchorPath } : {}) },
        env,
        timeoutMs: context.timeoutMs,
        ...(context.signal ? { signal: context.signal } : {}),
        onSpawn: async (pid) => {
          for (const held of locks) await held.setWorker(pid);
        },
        event: context.event,
        stopper,
      },
      record,
    );
    if (logFailure) {
      outcome.ioFailure = logFailure;
      record.success = false;
      record.error = `${record.error ? `${record.error}; ` : ''}could not write the worker's output: ${logFailure.message}`;
    }
  } catch (error) {
    record.error ??= errorMessage(error);
  } finally {
    freeSlot();
    try {
      if (ownsWorktree) await settleWorktree(runId, worktree, base, branch, context, record);
    } catch (error) {
      record.error ??= `cleaning up: ${errorMessage(error)}`;
    }
    stopHeartbeat();
    for (const held of [...locks].reverse()) {
      await held.release().catch((error: unknown) => {
        outcome.ioFailure ??= error as Error;
      });
      context.event(held.body.purpose === 'workspace_lease' ? 'lease_released' : 'run_lock_released', { run_id: runId });
    }
  }
  return finish();
}

/**
 * What an earlier run of this id left at the worktree's path: its processes are stopped, then
 * the worktree is removed, unless it holds work and the operator did not say --discard-work.
 */
async function clearLeftover(runId: string, worktree: string, base: string, context: RunContext, record: SupervisedRun): Promise<void> {
  const stray = await stopProcessesInside(worktree);
  if (stray.length > 0) context.event('stray_processes_stopped', { run_id: runId, pids: stray.map((p) => p.pid) });
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
 * the branch has no commit of its own.
 */
async function settleWorktree(runId: string, worktree: string, base: string, branch: string, context: RunContext, record: SupervisedRun): Promise<void> {
  const stray = await stopProcessesInside(worktree);
  if (stray.length > 0) context.event('stray_processes_stopped', { run_id: runId, pids: stray.map((p) => p.pid) });
  const after = await inspectWork(context.git, worktree);
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
  const removed = await removeWorktree(context.git, worktree, base);
  if (!removed.removed) return keep('removal_refused', removed.refusal);
  record.worktree_kept = false;
  context.event('worktree_removed', { run_id: runId });
  if (await deleteBranchIfEmpty(context.git, branch)) context.event('branch_deleted', { run_id: runId, branch, reason: 'no commits of its own' });
}
