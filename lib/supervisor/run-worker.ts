import { fork, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { prepareFolders } from '../fs/run-write.ts';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { packageModule } from '../paths.ts';
import type { SupervisedRun } from '../contracts/supervisor-result.ts';
import { errorMessage } from '../util/errors.ts';
import { SUPERVISOR_PID_ENV, WORKER_MARKER, type WorkerConfig, type WorkerMessage } from './protocol.ts';

export const TAIL_BYTES = 4096;
/** After SIGTERM, how long a worker's process group gets before SIGKILL. */
export const KILL_GRACE_MS = 2000;
/** After the worker exits, how long its output pipes may stay open (held by a stray grandchild). */
const PIPE_DRAIN_MS = 250;

// Found from the package root: this module may run bundled into the CLI, far from worker.js.
const workerModule = pathToFileURL(packageModule('lib/supervisor/worker'));

/** Running from sources: the worker needs tsx, resolved from here (its cwd is a worktree of any repository). */
function sourceExecArgv(): string[] {
  if (!workerModule.pathname.endsWith('.ts')) return [];
  try {
    return ['--import', import.meta.resolve('tsx')];
  } catch {
    return ['--import', 'tsx'];
  }
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

/**
 * A worker's output: a log file and an in-memory tail. The file may fail (a full disk): the
 * failure is kept, never thrown as an unhandled 'error' event, and the tail goes on.
 */
class OutputLog {
  readonly tail = new Tail();
  failure: Error | undefined;
  private readonly file: WriteStream;

  constructor(readonly path: string) {
    this.file = createWriteStream(path);
    this.file.on('error', (error) => {
      this.failure ??= error;
    });
  }
  write(chunk: Buffer) {
    this.tail.push(chunk);
    if (!this.failure && !this.file.destroyed) this.file.write(chunk);
  }
  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.file.destroyed) return resolve();
      this.file.once('close', () => resolve());
      this.file.end();
    });
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
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

/** Resolves when the stream ends, or after `ms`; then stops reading it (a stray process may hold it open forever). */
function drain(stream: Readable, ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || stream.readableEnded) return resolve();
    const timer = setTimeout(() => {
      stream.destroy();
      resolve();
    }, ms);
    stream.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export interface WorkerRun {
  runId: string;
  /** What the worker is told when it starts (known only once the worktree is ready). */
  config: () => WorkerConfig;
  runsDir: string;
  runDir: string;
  env: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
  /**
   * Makes the worktree ready (leftovers cleared, registered, leased, checked out). The worker
   * is forked first, so that its start-up overlaps all that, and is told to start only when
   * this resolves; if it rejects, the idle worker is stopped and the run fails with that reason.
   * Gets the idle worker's pid, which must not be taken for a leftover of an earlier run.
   */
  prepare(workerPid: number | undefined): Promise<void>;
  /** Called with the worker's pid before it is told to start: the locks must name it first. */
  onSpawn(pid: number): Promise<void>;
  event(type: string, fields?: Record<string, unknown>): void;
  /** Set from outside (a lost lock): stops the worker's process group. */
  stopper?: { stop?: (reason: string) => void };
}

/** The worker's outcome, written into the run's record; an I/O failure of its logs is returned. */
export async function runWorker(run: WorkerRun, record: SupervisedRun): Promise<{ logFailure?: Error }> {
  const logDir = join(run.runDir, 'supervisor');
  // Made like every folder of the runs dir: a symlink on the way would carry the logs out.
  prepareFolders(run.runsDir, logDir);
  const out = new OutputLog(join(logDir, 'worker.stdout.log'));
  const err = new OutputLog(join(logDir, 'worker.stderr.log'));
  record.stdout_log = out.path;
  record.stderr_log = err.path;
  const child = fork(fileURLToPath(workerModule), [], {
    // The worktree may not exist yet: the worker moves into it when it is told to start.
    cwd: run.runsDir,
    env: { ...run.env, [WORKER_MARKER]: '1', [SUPERVISOR_PID_ENV]: String(process.pid) },
    execArgv: sourceExecArgv(),
    // Its own process group: a timeout or an interrupt takes down the worker and everything it started.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout!.on('data', (chunk: Buffer) => out.write(chunk));
  child.stderr!.on('data', (chunk: Buffer) => err.write(chunk));

  let result: (WorkerMessage & { type: 'result' }) | undefined;
  let stopReason: string | undefined;
  const stop = (reason: string) => {
    if (stopReason) return;
    stopReason = reason;
    killGroup(child, 'SIGTERM');
    setTimeout(() => killGroup(child, 'SIGKILL'), KILL_GRACE_MS).unref();
  };
  if (run.stopper) run.stopper.stop = stop;
  child.on('message', (message: WorkerMessage) => {
    if (message.type === 'started') run.event('worker_started', { run_id: run.runId, pid: message.pid });
    else if (message.type === 'progress') run.event('progress', { run_id: run.runId, message: message.message });
    else if (message.type === 'result') result = message;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
    child.on('error', () => resolve({ code: null, signal: null }));
  });
  const timer = setTimeout(() => stop(`timed out after ${run.timeoutMs / 1000}s`), run.timeoutMs);
  const onAbort = () => stop('interrupted');
  run.signal?.addEventListener('abort', onAbort);
  if (run.signal?.aborted) onAbort();
  const ready = run.prepare(child.pid).then(
    () => true,
    (error: unknown) => {
      stop(errorMessage(error));
      return false;
    },
  );
  if ((await Promise.race([ready, exited.then(() => false)])) && !stopReason && child.pid !== undefined) {
    try {
      await run.onSpawn(child.pid);
      if (child.connected) child.send({ type: 'start', config: run.config() });
    } catch (error) {
      stop(`could not record the worker in its run lock: ${errorMessage(error)}`);
    }
  }

  const exit = await exited;
  // Whatever stopped the worker, the checkout is over before the worktree is judged.
  await ready;
  clearTimeout(timer);
  run.signal?.removeEventListener('abort', onAbort);
  // The group may outlive its leader (a command that ignored SIGTERM, a background job): make sure it is gone.
  killGroup(child, 'SIGKILL');
  await Promise.all([drain(child.stdout!, PIPE_DRAIN_MS), drain(child.stderr!, PIPE_DRAIN_MS)]);
  await Promise.all([out.close(), err.close()]);
  record.stdout_tail = out.tail.text();
  record.stderr_tail = err.tail.text();
  run.event('worker_exited', { run_id: run.runId, code: exit.code, signal: exit.signal });
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
  const logFailure = out.failure ?? err.failure;
  return logFailure ? { logFailure } : {};
}
