import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { SupervisedRun, SupervisorResultV1 } from '../contracts/supervisor-result.ts';
import { formatIssues, issuesToLines } from '../contracts/issues.ts';
import { writeJsonAtomic } from '../fs/atomic-write.ts';
import { ensureRunsDirExcluded } from '../fs/git-exclude.ts';
import { runBaseDir } from '../fs/run-layout.ts';
import { AutopackError } from '../util/errors.ts';
import { shortSha256 } from '../util/hash.ts';
import { EventLog } from './event-log.ts';
import { DEFAULT_TTL_MS } from './lock-file.ts';
import { refuseWorkInTheWay } from './preflight.ts';
import { assertOwnFolders, prepareSupervision, type PrepareOptions } from './prepare.ts';
import { superviseOneRun } from './run-one.ts';
import { Slots } from './slots.ts';

export const DEFAULT_TIMEOUT_MS = 2 * 60 * 60 * 1000;

export interface SuperviseOptions extends PrepareOptions {
  timeoutMs?: number;
  /** Keep every worktree, even those that hold no work. */
  keepWorktrees?: boolean;
  /** Throw away what earlier runs of these ids left in their worktrees (changes, untracked files, commits on no branch). */
  discardWork?: boolean;
  /** Lock and lease time-to-live; the supervisor renews them every third of it. */
  ttlMs?: number;
  /** Aborting stops every worker, releases everything and still writes the result. */
  signal?: AbortSignal;
  onEvent?: (event: Record<string, unknown>) => void;
}

export interface SuperviseResult {
  result: SupervisorResultV1;
  resultPath: string;
  eventsPath: string;
}

/**
 * The supervisor could not write its records (a full disk, a folder gone): exit 1, after every
 * lock and lease was released. `result` is what it would have written.
 */
export class SupervisorIoError extends AutopackError {
  constructor(
    message: string,
    readonly result: SupervisorResultV1 | undefined,
    cause: unknown,
  ) {
    super(message, { exitCode: 1, cause, hint: 'free space (or fix the folder) under the runs dir and run again; worktrees that hold work were kept' });
    this.name = 'SupervisorIoError';
  }
}

/** The first I/O failure of the supervisor's own records, as one message. */
function ioMessage(failure: Error, runsDir: string): string {
  const code = (failure as NodeJS.ErrnoException).code;
  return `Could not write the supervisor's records under ${runsDir}: ${code === 'ENOSPC' ? 'no space left on device' : failure.message}`;
}

/**
 * Runs several runs at once, each in its own worktree on its own branch, under a run lock and
 * a workspace lease, each worker a forked child process. Validation, the parallelism gate and
 * the check for earlier work come before anything is created; results come back in input order.
 */
export async function superviseRuns(options: SuperviseOptions): Promise<SuperviseResult> {
  const { workspace, argv, effective, anchorPath, base, branchPrefix } = await prepareSupervision(options);
  // A matrix plan creates nothing; a local supervise makes its folders now, refusing links in their place.
  assertOwnFolders(workspace.runsDir, options.runIds);
  if (!options.discardWork) {
    await refuseWorkInTheWay({ git: workspace.git, runsDir: workspace.runsDir, runIds: options.runIds, branchPrefix, cwd: workspace.cwd });
  }

  const clock = workspace.clock;
  const startedAt = clock.now();
  // Derived from the run ids; a random part unless the clock is fixed. Never a timestamp in the hash.
  const supervisorId = `supervisor-${shortSha256(`${options.runIds.join(',')}|${clock.fixed ? '' : randomUUID()}`, 8)}`;
  const dir = join(workspace.runsDir, 'supervisor', supervisorId);
  await ensureRunsDirExcluded(workspace.git, workspace.root, workspace.runsDir);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new SupervisorIoError(ioMessage(error as Error, workspace.runsDir), undefined, error);
  }
  const events = new EventLog(join(dir, 'events.jsonl'), clock, options.onEvent);
  const event = (type: string, fields: Record<string, unknown> = {}) => events.emit(type, fields);
  event('supervisor_started', { supervisor_id: supervisorId, run_ids: [...options.runIds], workers: options.workers, effective_workers: effective, base });

  const slots = new Slots(effective);
  const outcomes = await Promise.all(
    options.runIds.map(async (runId) => {
      const freeSlot = await slots.take();
      return superviseOneRun(
        runId,
        {
          git: workspace.git,
          runsDir: workspace.runsDir,
          projectId: workspace.projectId,
          env: workspace.env,
          clock,
          mode: argv ? 'exec' : 'autopilot',
          ...(argv ? { argv } : {}),
          ...(anchorPath ? { anchorPath } : {}),
          timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
          ttlMs: options.ttlMs ?? DEFAULT_TTL_MS,
          keepWorktrees: options.keepWorktrees ?? false,
          discardWork: options.discardWork ?? false,
          branchPrefix,
          base,
          ...(options.signal ? { signal: options.signal } : {}),
          runDirOf: (id) => runBaseDir(workspace.runsDir, workspace.projectId, id),
          event,
        },
        freeSlot,
      );
    }),
  );
  // Fields in the schema's order, whatever order a run filled them in.
  const fields = Object.keys(SupervisedRun.entries) as Array<keyof SupervisedRun>;
  const runs = outcomes.map(({ record }) => Object.fromEntries(fields.filter((key) => key in record).map((key) => [key, record[key]])) as SupervisedRun);

  const interrupted = options.signal?.aborted === true;
  const result: SupervisorResultV1 = {
    format_version: 'v1',
    supervisor_id: supervisorId,
    project_id: workspace.projectId,
    source_repo: workspace.root,
    runs_dir: workspace.runsDir,
    mode: argv ? 'exec' : 'autopilot',
    ...(argv ? { command: argv } : {}),
    workers: options.workers,
    effective_workers: effective,
    status: interrupted ? 'interrupted' : runs.every((run) => run.success) ? 'succeeded' : 'failed',
    started_at: startedAt.toISOString(),
    ended_at: clock.now().toISOString(),
    runs,
  };
  const checked = v.safeParse(SupervisorResultV1, result);
  if (!checked.success) throw new Error(`internal error: supervisor result: ${issuesToLines(formatIssues(checked.issues)).join('; ')}`);
  const resultPath = join(dir, 'result.json');
  let failure = outcomes.find((outcome) => outcome.ioFailure)?.ioFailure ?? events.failure;
  await writeJsonAtomic(resultPath, result).catch((error: unknown) => {
    failure ??= error as Error;
  });
  event('supervisor_finished', { status: result.status });
  failure ??= events.failure;
  if (failure) throw new SupervisorIoError(ioMessage(failure, workspace.runsDir), result, failure);
  return { result, resultPath, eventsPath: events.path };
}
