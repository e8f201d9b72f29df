import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { loadAnchor } from '../anchor/load-anchor.ts';
import { SupervisorResultV1 } from '../contracts/supervisor-result.ts';
import { formatIssues, issuesToLines } from '../contracts/issues.ts';
import { openWorkspace, type WorkspaceOptions } from '../config/workspace.ts';
import { writeJsonAtomic } from '../fs/atomic-write.ts';
import { ensureRunsDirExcluded } from '../fs/git-exclude.ts';
import { runBaseDir } from '../fs/run-layout.ts';
import { AutopackError } from '../util/errors.ts';
import { shortSha256 } from '../util/hash.ts';
import { mapLimit } from '../util/pool.ts';
import { splitShellWords } from '../util/shell-words.ts';
import { checkParallelAllowed } from './gate.ts';
import { DEFAULT_TTL_MS } from './lock-file.ts';
import { superviseOneRun } from './run-one.ts';

/** A run id usable as a folder and a lock name: the anchor-compatible charset, never `.` or `..`. */
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export const DEFAULT_TIMEOUT_MS = 2 * 60 * 60 * 1000;

export interface SuperviseOptions extends Omit<WorkspaceOptions, 'workspace' | 'runId'> {
  runIds: readonly string[];
  workers: number;
  /** The repository the worktrees are made from (default: cwd). */
  sourceRepo?: string | undefined;
  anchorPath?: string | undefined;
  /** A command line run in each worktree instead of an autopilot session (split into argv, never given to a shell). */
  exec?: string | undefined;
  timeoutMs?: number;
  keepWorktrees?: boolean;
  /** Lock and lease time-to-live; workers heartbeat every third of it. */
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

/** Input checks that happen before anything else: run ids, workers, the command. */
export function validateSuperviseInput(runIds: readonly string[], workers: number, exec: string | undefined): string[] | undefined {
  if (runIds.length === 0) throw new AutopackError('No run ids: pass --run-ids a,b,c');
  const seen = new Set<string>();
  for (const runId of runIds) {
    if (!RUN_ID.test(runId)) throw new AutopackError(`Invalid run id '${runId}': use 1-128 characters from A-Z a-z 0-9 . _ - starting with a letter or digit`);
    if (seen.has(runId)) throw new AutopackError(`Duplicate run id '${runId}': each run needs its own worktree and lock`);
    seen.add(runId);
  }
  if (!Number.isInteger(workers) || workers < 1) throw new AutopackError(`--workers must be a whole number of at least 1 (got ${workers})`);
  if (exec === undefined) return undefined;
  const argv = splitShellWords(exec);
  if (!argv) throw new AutopackError(`--exec has an unterminated quote: ${exec}`);
  if (argv.length === 0) throw new AutopackError('--exec is empty');
  return argv;
}

/**
 * Runs several runs at once, each in its own worktree under a run lock and a workspace lease,
 * each worker a forked child process (DESIGN §9). Validation and the parallelism gate come
 * before anything is created; results come back in input order.
 */
export async function superviseRuns(options: SuperviseOptions): Promise<SuperviseResult> {
  const argv = validateSuperviseInput(options.runIds, options.workers, options.exec);
  const effective = Math.min(options.workers, options.runIds.length);
  const workspace = await openWorkspace({ ...options, workspace: options.sourceRepo });
  if (!workspace.repo.isRepo || !workspace.repo.hasCommits) {
    throw new AutopackError(`${workspace.root} is not a git repository with a commit: worktrees are made from HEAD`, { hint: 'pass --source-repo with a repository that has at least one commit' });
  }
  // The gate, before any lock, worktree, lease, directory or process exists.
  let anchorPath: string | undefined;
  if (effective > 1) {
    const loaded = await loadAnchor({ anchorPath: options.anchorPath, runDir: runBaseDir(workspace.runsDir, workspace.projectId, 'local'), cwd: workspace.cwd }).catch((error: unknown) => {
      if (!(error instanceof AutopackError) || options.anchorPath) throw error;
      throw new AutopackError(`Parallel runs (${effective} at once) need an intention anchor that allows them; none found.`, {
        extraLines: error.extraLines,
        hint: `create one (autopack anchor init --out anchor.json), set parallelism_isolation to {allowed: true, isolation_model: four_layer, max_concurrent_runs: ${effective}}, pass --anchor-path anchor.json`,
      });
    });
    checkParallelAllowed(loaded.anchor, effective);
    anchorPath = loaded.path;
  } else if (options.anchorPath) {
    anchorPath = (await loadAnchor({ anchorPath: options.anchorPath, runDir: workspace.runDir, cwd: workspace.cwd })).path;
  }

  const clock = workspace.clock;
  const startedAt = clock.now();
  // Derived from the run ids; a random part unless the clock is fixed. Never a timestamp in the hash.
  const supervisorId = `supervisor-${shortSha256(`${options.runIds.join(',')}|${clock.fixed ? '' : randomUUID()}`, 8)}`;
  const dir = join(workspace.runsDir, 'supervisor', supervisorId);
  const eventsPath = join(dir, 'events.jsonl');
  await ensureRunsDirExcluded(workspace.git, workspace.root, workspace.runsDir);
  mkdirSync(dir, { recursive: true });
  const event = (type: string, fields: Record<string, unknown> = {}) => {
    const entry = { ts: clock.now().toISOString(), type, ...fields };
    appendFileSync(eventsPath, `${JSON.stringify(entry)}\n`);
    options.onEvent?.(entry);
  };
  event('supervisor_started', { supervisor_id: supervisorId, run_ids: [...options.runIds], workers: options.workers, effective_workers: effective });

  const runs = await mapLimit(options.runIds, effective, (runId) =>
    superviseOneRun(runId, {
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
      ...(options.signal ? { signal: options.signal } : {}),
      runDirOf: (runId) => runBaseDir(workspace.runsDir, workspace.projectId, runId),
      event,
    }),
  );

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
  await writeJsonAtomic(resultPath, result);
  event('supervisor_finished', { status: result.status });
  return { result, resultPath, eventsPath };
}
