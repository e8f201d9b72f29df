import { fork, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { packageModule } from '../paths.ts';
import type { SupervisedRun } from '../contracts/supervisor-result.ts';
import type { Git } from '../git/git.ts';
import type { Clock } from '../util/clock.ts';
import { errorMessage } from '../util/errors.ts';
import { acquireLock, describeHolder, inspectLock, type HeldLock } from './lock-file.ts';
import { WORKER_MARKER, type WorkerConfig, type WorkerMessage } from './protocol.ts';
import { createWorktree, leasePath, removeWorktree, runLockPath, worktreePath } from './worktree.ts';

export const TAIL_BYTES = 4096;
/** After SIGTERM, how long a worker's process group gets before SIGKILL. */
export const KILL_GRACE_MS = 2000;

// Found from the package root: this module may run bundled into the CLI, far from worker.js.
const workerModule = pathToFileURL(packageModule('lib/supervisor/worker'));

export interface RunContext {
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
  signal?: AbortSignal;
  /** Run directory of a run in the source repository. */
  runDirOf(runId: string): string;
  event(type: string, fields?: Record<string, unknown>): void;
}

class Tail {
  private chunks: Buffer[] = [];
  private size = 0;
  push(chunk: Buffer) {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size - (this.chunks[0]?.length ?? 0) >= TAIL_BYTES && this.chunks.length > 1) this.size -= this.chunks.shift()!.length;
  }
  text(): string {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - TAIL_BYTES)).toString('utf8');
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

const closeStream = (stream: WriteStream) => new Promise<void>((resolve) => stream.end(resolve));

/** Forks the worker, pipes its output to log files and tails, renews lock and lease on its heartbeats. */
async function runWorker(runId: string, worktree: string, locks: HeldLock[], context: RunContext, record: SupervisedRun): Promise<void> {
  const runDir = context.runDirOf(runId);
  const logDir = join(runDir, 'supervisor');
  await mkdir(logDir, { recursive: true });
  const stdoutLog = join(logDir, 'worker.stdout.log');
  const stderrLog = join(logDir, 'worker.stderr.log');
  record.stdout_log = stdoutLog;
  record.stderr_log = stderrLog;
  const outFile = createWriteStream(stdoutLog);
  const errFile = createWriteStream(stderrLog);
  const outTail = new Tail();
  const errTail = new Tail();
  const config: WorkerConfig = {
    runId,
    projectId: context.projectId,
    worktree,
    runsDir: context.runsDir,
    runDir,
    mode: context.mode,
    ...(context.argv ? { argv: context.argv } : {}),
    ...(context.anchorPath ? { anchorPath: context.anchorPath } : {}),
    heartbeatMs: Math.max(100, Math.floor(context.ttlMs / 3)),
  };
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(context.env)) if (value !== undefined) env[key] = value;
  Object.assign(env, { [WORKER_MARKER]: '1', AUTONOMOUS_RUNS_DIR: context.runsDir, AUTOPACK_RUN_ID: runId, AUTOPACK_RUN_DIR: runDir, AUTOPACK_WORKTREE: worktree });
  const child = fork(fileURLToPath(workerModule), [], {
    cwd: worktree,
    env,
    execArgv: workerModule.pathname.endsWith('.ts') ? ['--import', 'tsx'] : [],
    // Its own process group: a timeout or an interrupt takes down the worker and everything it started.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout!.on('data', (chunk: Buffer) => {
    outFile.write(chunk);
    outTail.push(chunk);
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    errFile.write(chunk);
    errTail.push(chunk);
  });

  let result: (WorkerMessage & { type: 'result' }) | undefined;
  let stopReason: string | undefined;
  const stop = (reason: string) => {
    if (stopReason) return;
    stopReason = reason;
    killGroup(child, 'SIGTERM');
    setTimeout(() => killGroup(child, 'SIGKILL'), KILL_GRACE_MS).unref();
  };
  child.on('message', (message: WorkerMessage) => {
    if (message.type === 'heartbeat') {
      void Promise.all(locks.map((lock) => lock.renew())).then((held) => {
        if (held.some((ok) => !ok)) stop('lost its run lock or workspace lease');
      });
    } else if (message.type === 'started') context.event('worker_started', { run_id: runId, pid: message.pid });
    else if (message.type === 'progress') context.event('progress', { run_id: runId, message: message.message });
    else if (message.type === 'result') result = message;
  });
  const timer = setTimeout(() => stop(`timed out after ${context.timeoutMs / 1000}s`), context.timeoutMs);
  const onAbort = () => stop('interrupted');
  context.signal?.addEventListener('abort', onAbort);
  if (context.signal?.aborted) onAbort();
  child.send({ type: 'start', config });

  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
    child.on('error', () => resolve({ code: null, signal: null }));
  });
  clearTimeout(timer);
  context.signal?.removeEventListener('abort', onAbort);
  // The group may outlive its leader (a command that ignored SIGTERM): make sure it is gone.
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    /* no group left */
  }
  await Promise.all([closeStream(outFile), closeStream(errFile)]);
  record.stdout_tail = outTail.text();
  record.stderr_tail = errTail.text();
  context.event('worker_exited', { run_id: runId, code: exit.code, signal: exit.signal });
  if (stopReason) {
    record.exit_code = null;
    record.error = stopReason === 'interrupted' ? 'interrupted' : stopReason.startsWith('timed out') ? `timeout: ${stopReason}` : stopReason;
  } else if (result) {
    record.success = result.success;
    record.exit_code = result.exit_code;
    if (result.error) record.error = result.error;
    if (result.session_status) record.session_status = result.session_status;
  } else {
    record.exit_code = exit.code;
    record.error = exit.signal ? `worker killed by ${exit.signal}` : `worker exited with ${exit.code} before reporting a result`;
  }
}

/**
 * One run under the Four-Layer model, in order and released in reverse: run lock → worktree →
 * workspace lease → forked worker → artifacts in the source repository's run directory.
 * Whatever fails, everything taken is given back; a failure fails only this run.
 */
export async function superviseOneRun(runId: string, context: RunContext): Promise<SupervisedRun> {
  const worktree = worktreePath(context.runsDir, runId);
  const record: SupervisedRun = { run_id: runId, success: false, exit_code: null, worktree, stdout_tail: '', stderr_tail: '' };
  if (context.signal?.aborted) {
    record.error = 'interrupted before it started';
    return record;
  }
  record.started_at = context.clock.now().toISOString();
  const base = join(context.runsDir, 'workspaces');
  const lock = await acquireLock(runLockPath(context.runsDir, runId), { purpose: 'run_lock', resource: runId, ttlMs: context.ttlMs });
  if (!lock.ok) {
    record.error = `run ${runId} is locked: ${lock.reason}`;
    record.ended_at = context.clock.now().toISOString();
    context.event('run_lock_refused', { run_id: runId, reason: lock.reason });
    return record;
  }
  context.event('run_lock_acquired', { run_id: runId, ...(lock.reclaimed ? { reclaimed: lock.reclaimed } : {}) });
  let worktreeCreated = false;
  try {
    const existingLease = await inspectLock(leasePath(context.runsDir, worktree));
    if (existingLease && !existingLease.stale) throw new Error(`worktree ${worktree} is leased by ${describeHolder(existingLease.body)}`);
    await createWorktree(context.git, worktree, base);
    worktreeCreated = true;
    context.event('worktree_created', { run_id: runId, worktree });
    const lease = await acquireLock(leasePath(context.runsDir, worktree), { purpose: 'workspace_lease', resource: worktree, ttlMs: context.ttlMs });
    if (!lease.ok) throw new Error(`workspace lease refused: ${lease.reason}`);
    context.event('lease_acquired', { run_id: runId });
    try {
      await runWorker(runId, worktree, [lock.lock, lease.lock], context, record);
    } finally {
      await lease.lock.release();
      context.event('lease_released', { run_id: runId });
    }
  } catch (error) {
    record.error ??= errorMessage(error);
  } finally {
    if (worktreeCreated && !context.keepWorktrees) {
      await removeWorktree(context.git, worktree, base).catch((error) => context.event('cleanup_failed', { run_id: runId, error: errorMessage(error) }));
      context.event('worktree_removed', { run_id: runId });
    }
    await lock.lock.release();
    context.event('run_lock_released', { run_id: runId });
  }
  record.ended_at = context.clock.now().toISOString();
  context.event('run_finished', { run_id: runId, success: record.success, exit_code: record.exit_code, ...(record.error ? { error: record.error } : {}) });
  return record;
}
