import { join } from 'node:path';
import type { SupervisedRun } from '../contracts/supervisor-result.ts';
import type { Git } from '../git/git.ts';
import type { Clock } from '../util/clock.ts';
import { errorMessage } from '../util/errors.ts';
import { acquireLock, describeHolder, inspectLock, type HeldLock } from './lock-file.ts';
import type { WorkerConfig } from './protocol.ts';
import { runWorker } from './run-worker.ts';
import { clearLeftover, settleWorktree } from './settle-worktree.ts';
import { describeWork, type WorkState } from './work-state.ts';
import { checkOutWorktree, registerWorktree } from './worktree-create.ts';
import { leasePath, runLockPath, worktreePath } from './worktree.ts';

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
 * the run's branch → workspace lease → the forked worker told to start → artifacts in the source
 * repository's run directory. (The worker process itself is forked right after the run lock,
 * idle until its worktree is ready, so that its start-up overlaps the checkout; the locks name
 * it before it starts.) `freeSlot` is called as soon as the worker is done, so the next run starts while
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
  let checkedOut = false;
  let checkoutEndedAt = 0;
  try {
    const existingLease = await inspectLock(leasePath(context.runsDir, worktree));
    if (existingLease && !existingLease.stale) throw new Error(`worktree ${worktree} is leased by ${describeHolder(existingLease.body)}`);
    // Runs while the worker starts up; the worker is told to begin once it is done.
    const prepare = async (workerPid: number | undefined) => {
      await clearLeftover(runId, worktree, base, context, record, workerPid);
      const created = await registerWorktree(context.git, worktree, base, branch, context.base);
      ownsWorktree = true;
      context.event('worktree_created', { run_id: runId, worktree, branch, ...(created.branchCreated ? {} : { continued: true }) });
      const lease = await acquireLock(leasePath(context.runsDir, worktree), { purpose: 'workspace_lease', resource: worktree, ttlMs: context.ttlMs });
      if (!lease.ok) throw new Error(`workspace lease refused: ${lease.reason}`);
      locks.push(lease.lock);
      context.event('lease_acquired', { run_id: runId });
      await checkOutWorktree(context.git, worktree, branch);
      checkedOut = true;
      checkoutEndedAt = Date.now();
      context.event('worktree_ready', { run_id: runId });
    };
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
        runsDir: context.runsDir,
        runDir,
        config: () => ({ runId, projectId: context.projectId, worktree, runsDir: context.runsDir, runDir, mode: context.mode, checkoutEndedAt, branch, branchPrefix: context.branchPrefix, ...(context.argv ? { argv: context.argv } : {}), ...(context.anchorPath ? { anchorPath: context.anchorPath } : {}) }),
        env,
        timeoutMs: context.timeoutMs,
        prepare,
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
      if (ownsWorktree) await settleWorktree(runId, worktree, base, branch, context, record, { checkedOut, workerStart: lock.lock.body.worker_start });
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
