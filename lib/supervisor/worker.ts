// The worker process: one per run, forked by the supervisor with its cwd in the run's worktree.
// It runs an autopilot session there, or the --exec command (argv, shell: false), and reports
// over IPC: started, heartbeat, progress, result.
import { spawn } from 'node:child_process';
import process from 'node:process';
import type { SupervisorMessage, WorkerConfig, WorkerMessage } from './protocol.ts';
import { WORKER_MARKER } from './protocol.ts';

const send = (message: WorkerMessage) => {
  if (process.connected) process.send?.(message);
};

async function runExec(config: WorkerConfig): Promise<WorkerMessage & { type: 'result' }> {
  const [program, ...args] = config.argv!;
  return new Promise((resolve) => {
    const child = spawn(program!, args, {
      cwd: config.worktree,
      shell: false,
      // The command stays in the worker's process group: the supervisor's group kill reaches it.
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, AUTOPACK_RUN_ID: config.runId, AUTOPACK_RUN_DIR: config.runDir, AUTOPACK_WORKTREE: config.worktree },
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

async function runAutopilot(config: WorkerConfig): Promise<WorkerMessage & { type: 'result' }> {
  const [{ runAutopilotSession }, { clockFromEnv }, { createStderrLogger }, { killRunningChecks }] = await Promise.all([
    import('../autopilot/session.ts'),
    import('../util/clock.ts'),
    import('../util/stderr-logger.ts'),
    import('../runner/run-check.ts'),
  ]);
  process.once('SIGTERM', () => {
    void killRunningChecks().finally(() => process.exit(143));
  });
  const env = { ...process.env };
  const logger = await createStderrLogger({ stream: process.stderr, env });
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
  }
}

if (process.env[WORKER_MARKER] === '1' && process.send) {
  process.once('message', (message: SupervisorMessage) => {
    if (message?.type !== 'start') return;
    const { config } = message;
    send({ type: 'started', pid: process.pid });
    send({ type: 'progress', message: config.mode === 'exec' ? `running ${config.argv!.join(' ')}` : 'running an autopilot session' });
    const heartbeat = setInterval(() => send({ type: 'heartbeat' }), config.heartbeatMs);
    const work = config.mode === 'exec' ? runExec(config) : runAutopilot(config);
    void work.then((result) => {
      clearInterval(heartbeat);
      send(result);
      process.exitCode = result.success ? 0 : 1;
      process.disconnect?.();
    });
  });
}
