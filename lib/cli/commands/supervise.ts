import { relative } from 'node:path';
import type { GcItem } from '../../supervisor/gc.ts';
import { superviseRuns, SupervisorIoError } from '../../supervisor/supervise.ts';
import { inspectLock } from '../../supervisor/lock-file.ts';
import { openSourceRepo } from '../../supervisor/source-repo.ts';
import { leasePath, listWorktrees } from '../../supervisor/worktree.ts';
import { clockFromEnv } from '../../util/clock.ts';
import { AutopackError, UsageError } from '../../util/errors.ts';
import type { Flags } from '../commands.ts';
import { str, workspaceFlags } from '../flags.ts';
import { createCliLogger, emit, type CliIo } from '../io.ts';

/** The worktrees gc and --cleanup left because they hold work, with the way on. */
function reportKept(items: readonly GcItem[], logger: { warn(message: string): void }): void {
  const kept = items.filter((item) => item.kind === 'worktree' && item.work && !item.removed);
  if (kept.length > 0) logger.warn(`${kept.length} worktree(s) hold work and were kept: review them, or re-run their run ids with autopilot supervise --discard-work`);
  const foreign = items.filter((item) => item.foreign);
  if (foreign.length > 0) logger.warn(`${foreign.length} item(s) in the runs dir were not made by autopack (a symlink or a file) and were left alone: remove them by hand if they are yours`);
}

async function sourceWorkspace(flags: Flags, io: CliIo) {
  return openSourceRepo({ ...workspaceFlags(flags, io), workspace: str(flags, 'sourceRepo') });
}

export async function superviseCommand(_args: string[], flags: Flags, io: CliIo): Promise<number> {
  const format = flags.format;
  const logger = await createCliLogger(io);
  if (flags.emitMatrix !== undefined && (flags.listWorktrees === true || flags.cleanup === true)) {
    throw new UsageError('--emit-matrix prints a matrix of --run-ids; it does not go with --list-worktrees or --cleanup');
  }
  if (flags.listWorktrees === true) {
    const workspace = await sourceWorkspace(flags, io);
    const worktrees = await Promise.all(
      (await listWorktrees(workspace.git)).map(async (worktree) => {
        const lease = await inspectLock(leasePath(workspace.runsDir, worktree.path));
        return { ...worktree, leased: Boolean(lease && !lease.stale) };
      }),
    );
    await emit(io, 'worktrees', format, worktrees);
    return 0;
  }
  if (flags.cleanup === true) {
    const workspace = await sourceWorkspace(flags, io);
    const { collectGarbage } = await import('../../supervisor/gc.ts');
    const items = await collectGarbage({ runsDir: workspace.runsDir, git: workspace.git, execute: true, worktreesOnly: true });
    await emit(io, 'gc', format, items);
    logger.info(`Cleaned up ${items.filter((item) => item.removed).length} worktrees`);
    reportKept(items, logger);
    return 0;
  }
  const runIds = flags.runIds as string[] | undefined;
  if (!runIds) throw new AutopackError('--run-ids is required to run (or use --list-worktrees / --cleanup)');
  const workers = (flags.workers as number | undefined) ?? 3;
  const branchPrefix = str(flags, 'branchPrefix');
  // What a matrix plan and a local supervise both take: the same checks and the same gate.
  const common = {
    runIds,
    workers,
    ...workspaceFlags(flags, io),
    sourceRepo: str(flags, 'sourceRepo'),
    anchorPath: str(flags, 'anchorPath'),
    exec: str(flags, 'exec'),
    ...(branchPrefix !== undefined ? { branchPrefix } : {}),
    logger,
  };
  if (flags.emitMatrix !== undefined) {
    // A plan for CI, not a run: it starts nothing, so it needs no --enable (the jobs that run it do).
    const { githubMatrix, matrixLine } = await import('../../supervisor/matrix.ts');
    const matrix = await githubMatrix(common);
    io.stdout(matrixLine(matrix));
    logger.info(`Matrix of ${matrix.include.length} run(s), at most ${Math.min(workers, runIds.length)} at once: nothing was created`);
    return 0;
  }
  if (flags.enable !== true) {
    throw new AutopackError('Supervised runs are disabled by default: nothing was created. Re-run with --enable to start the runs.');
  }
  const timeout = flags.timeout as number | undefined;
  if (io.interrupt) io.interrupt.cooperative = true;
  const progress = Boolean(io.stderr.isTTY);
  // jsonl: every event on stdout as it happens, one JSON object per line; the result comes last.
  const stream = format === 'jsonl';
  const onEvent = (entry: Record<string, unknown>) => {
    if (stream) io.stdout(`${JSON.stringify(entry)}\n`);
    if (progress && entry.run_id !== undefined) io.stderr.write(`[${String(entry.run_id)}] ${String(entry.type).replace(/_/g, ' ')}\n`);
  };
  let outcome;
  try {
    outcome = await superviseRuns({
      ...common,
      ...(timeout ? { timeoutMs: timeout * 1000 } : {}),
      keepWorktrees: flags.keepWorktrees === true,
      discardWork: flags.discardWork === true,
      clock: clockFromEnv(io.env),
      ...(io.interrupt ? { signal: io.interrupt.signal } : {}),
      ...(progress || stream ? { onEvent } : {}),
    });
  } catch (error) {
    // The runs happened even if their records could not all be written: stdout still gets the result.
    if (error instanceof SupervisorIoError && error.result) await emit(io, 'supervisor-result', format, error.result);
    throw error;
  } finally {
    // Everything is released: a later interrupt ends the process at once.
    if (io.interrupt) io.interrupt.cooperative = false;
  }
  const { result, resultPath } = outcome;
  await emit(io, 'supervisor-result', format, result);
  logger.info(`Supervisor ${result.supervisor_id}: ${result.status}; result in ${relative(io.cwd, resultPath) || resultPath}`);
  for (const run of result.runs.filter((r) => r.worktree_kept && r.kept_reason !== 'keep_worktrees')) {
    logger.warn(`${run.run_id}: worktree kept, it holds work: ${relative(io.cwd, run.worktree) || run.worktree} (branch ${run.branch})`);
  }
  if (result.status === 'interrupted') return 130;
  return result.status === 'succeeded' ? 0 : 1;
}

export async function gcCommand(_args: string[], flags: Flags, io: CliIo): Promise<number> {
  const logger = await createCliLogger(io);
  const workspace = await sourceWorkspace(flags, io);
  const { collectGarbage } = await import('../../supervisor/gc.ts');
  const items = await collectGarbage({ runsDir: workspace.runsDir, git: workspace.git, execute: flags.execute === true });
  await emit(io, 'gc', flags.format, items);
  const stale = items.filter((item) => item.stale).length;
  reportKept(items, logger);
  if (flags.execute === true) logger.info(`Removed ${items.filter((item) => item.removed).length} stale item(s)`);
  else if (stale > 0) logger.info(`${stale} stale item(s); re-run with --execute to remove them`);
  return 0;
}
