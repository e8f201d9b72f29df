// The worker process: one per run, forked by the supervisor (detached: it leads its own process
// group) while the run's worktree is being made, and moved into it when told to start. It runs an autopilot session there, or the --exec
// command (argv, shell: false), and reports over IPC: started, progress, result. It never
// outlives its supervisor: on IPC disconnect, or when a watchdog thread sees a new parent pid
// (the event loop may be blocked), it stops every process of the run, itself included.
import { spawn } from 'node:child_process';
import process from 'node:process';
import type { Worker } from 'node:worker_threads';
import { packageModule } from '../paths.ts';
import { startModuleThread } from '../util/thread.ts';
import type { SupervisorMessage, WorkerConfig, WorkerMessage } from './protocol.ts';
import { SUPERVISOR_PID_ENV, WORKER_MARKER } from './protocol.ts';
import { stopRunNow } from './worker-stop.ts';

const send = (message: WorkerMessage) => {
  if (process.connected) process.send?.(message);
};

/** The environment of the command: the worker's, without the variables of its own IPC channel. */
function commandEnv(config: WorkerConfig): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, AUTOPACK_RUN_ID: config.runId, AUTOPACK_RUN_DIR: config.runDir, AUTOPACK_WORKTREE: config.worktree };
  for (const key of ['NODE_CHANNEL_FD', 'NODE_CHANNEL_SERIALIZATION_MODE', WORKER_MARKER, SUPERVISOR_PID_ENV]) delete env[key];
  return env;
}

async function runExec(config: WorkerConfig): Promise<WorkerMessage & { type: 'result' }> {
  const [program, ...args] = config.argv!;
  return new Promise((resolve) => {
    const child = spawn(program!, args, {
      cwd: config.worktree,
      shell: false,
      // The command stays in the worker's process group: the supervisor's group kill reaches it.
      stdio: ['ignore', 'inherit', 'inherit'],
      env: commandEnv(config),
    });
    const stop = () => child.kill('SIGTERM');
    process.once('SIGTERM', stop);
    child.on('error', (error) => {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      resolve({ type: 'result', success: false, exit_code: null, error: missing ? `Program not found: ${program}` : error.message });
    });
    child.on('exit', (code, signal) => {
      process.off('SIGTERM', stop);
      resolve({
        type: 'result',
        success: code === 0,
        exit_code: code,
        ...(code === 0 ? {} : { error: signal ? `command killed by ${signal}` : `command exited with ${code}` }),
      });
    });
  });
}

/**
 * autopack runs git with optional locks off, so the session's own `git status` never rewrites
 * the index, and right after the checkout every entry is "racily clean" (its file written in
 * the same second as the index): each status would read every file again. Git trusts an entry
 * only when its file is older than the index, so the index is refreshed once, in the
 * background, as soon as the checkout's second has passed; the session does not wait for it
 * (its git reads take no index lock, and the refresh replaces the index atomically).
 */
function refreshIndexSoon(config: WorkerConfig, run: (args: string[]) => Promise<unknown>): () => Promise<void> {
  let refreshing: Promise<unknown> | undefined;
  const delay = Math.max(0, Math.floor(config.checkoutEndedAt / 1000) * 1000 + 1005 - Date.now());
  const timer = setTimeout(() => {
    refreshing = run(['update-index', '-q', '--refresh']).catch(() => {});
  }, delay);
  return async () => {
    clearTimeout(timer);
    await refreshing;
  };
}

async function runAutopilot(config: WorkerConfig): Promise<WorkerMessage & { type: 'result' }> {
  const [{ runAutopilotSession }, { clockFromEnv }, { createStderrLogger }, { killRunningChecks }, { createGit }] = await Promise.all([
    import('../autopilot/session.ts'),
    import('../util/clock.ts'),
    import('../util/stderr-logger.ts'),
    import('../runner/run-check.ts'),
    import('../git/git.ts'),
  ]);
  startWatchdog(config.worktree);
  process.once('SIGTERM', () => {
    void killRunningChecks().finally(() => process.exit(143));
  });
  const env = { ...process.env };
  const logger = await createStderrLogger({ stream: process.stderr, env });
  const git = createGit({ root: config.worktree, env });
  const refreshed = refreshIndexSoon(config, (args) => git.run(args));
  try {
    const { session } = await runAutopilotSession({
      enable: true,
      write: true,
      workspace: config.worktree,
      cwd: config.worktree,
      env,
      runId: config.runId,
      projectId: config.projectId,
      runsDir: config.runsDir,
      anchorPath: config.anchorPath,
      // Sibling runs create and delete their own branches in the shared ref store meanwhile: not this run's effects.
      siblingRefs: (ref) => ref.startsWith(`refs/heads/${config.branchPrefix}`) && ref !== `refs/heads/${config.branch}`,
      clock: clockFromEnv(env),
      logger,
    });
    process.stdout.write(`${JSON.stringify(session, null, 2)}\n`);
    const failed = session.status === 'failed';
    return {
      type: 'result',
      success: !failed,
      exit_code: failed ? 1 : 0,
      session_status: session.status,
      ...(failed ? { error: session.error_log?.[0]?.error_message ?? 'session failed' } : {}),
    };
  } catch (error) {
    return { type: 'result', success: false, exit_code: 2, error: error instanceof Error ? error.message : String(error) };
  } finally {
    await refreshed();
  }
}

let finished = false;
let watchdog: Worker | undefined;

/** Ties the worker's life to the supervisor's: the IPC channel's end is the supervisor's death. */
function followSupervisor(worktree: string): void {
  process.on('disconnect', () => {
    if (!finished) stopRunNow(worktree);
  });
  const supervisorPid = Number(process.env[SUPERVISOR_PID_ENV]);
  if (Number.isInteger(supervisorPid) && process.ppid !== supervisorPid) stopRunNow(worktree);
}

/**
 * The session's own work runs on this thread (configured plugins run in threads of their own,
 * but a plugin's remediation functions and option schemas run here) and may block it, and then
 * no 'disconnect' event is ever seen: a watchdog thread, with its own event loop, watches the
 * parent pid instead.
 * (An --exec worker only waits for its command, so its loop is free and needs none.)
 */
function startWatchdog(worktree: string): void {
  const supervisorPid = Number(process.env[SUPERVISOR_PID_ENV]);
  if (!Number.isInteger(supervisorPid) || supervisorPid <= 0) return;
  watchdog = startModuleThread(packageModule('lib/supervisor/worker-watchdog'), { supervisorPid, worktree });
  watchdog.unref();
}

if (process.env[WORKER_MARKER] === '1' && process.send) {
  followSupervisor(process.env.AUTOPACK_WORKTREE ?? process.cwd());
  process.once('message', (message: SupervisorMessage) => {
    if (message?.type !== 'start') return;
    const { config } = message;
    process.chdir(config.worktree);
    send({ type: 'started', pid: process.pid });
    send({ type: 'progress', message: config.mode === 'exec' ? `running ${config.argv!.join(' ')}` : 'running an autopilot session' });
    const work = config.mode === 'exec' ? runExec(config) : runAutopilot(config);
    void work.then((result) => {
      finished = true;
      void watchdog?.terminate();
      send(result);
      process.exitCode = result.success ? 0 : 1;
      process.disconnect?.();
    });
  });
}
