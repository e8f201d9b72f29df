import { relative } from 'node:path';
import type { SupervisorResultV1 } from '../../contracts/supervisor-result.ts';
import { toJsonText } from '../../fs/atomic-write.ts';
import type { GcItem } from '../../supervisor/gc.ts';
import { superviseRuns, SupervisorIoError } from '../../supervisor/supervise.ts';
import { inspectLock } from '../../supervisor/lock-file.ts';
import { openSourceRepo } from '../../supervisor/source-repo.ts';
import { leasePath, listWorktrees } from '../../supervisor/worktree.ts';
import { clockFromEnv } from '../../util/clock.ts';
import { AutopackError } from '../../util/errors.ts';
import { choiceFlag, stringFlag, workspaceFlags } from '../flags.ts';
import { createCliLogger, type CliIo } from '../io.ts';

function positiveNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new AutopackError(`${flag} must be a positive number (got '${value}')`);
  return number;
}

function itemState(item: GcItem): string {
  if (item.removed) return 'removed';
  if (item.work) return 'holds work';
  return item.stale ? 'stale' : 'in use';
}

function formatItems(items: readonly GcItem[], cwd: string): string {
  if (items.length === 0) return 'nothing to clean\n';
  return `${items.map((item) => `${item.kind.padEnd(16)} ${itemState(item)}  ${relative(cwd, item.path) || item.path}  ${item.stale ?? item.holder ?? item.work ?? ''}`).join('\n')}\n`;
}

/** The worktrees gc and --cleanup left because they hold work, with the way on. */
function reportKept(items: readonly GcItem[], logger: { warn(message: string): void }): void {
  const kept = items.filter((item) => item.kind === 'worktree' && item.work && !item.removed);
  if (kept.length > 0) logger.warn(`${kept.length} worktree(s) hold work and were kept: review them, or re-run their run ids with autopilot supervise --discard-work`);
}

function textSummary(result: SupervisorResultV1): string {
  const lines = result.runs.map((run) => {
    const kept = run.worktree_kept ? `  [worktree kept: ${run.kept_reason}]` : '';
    const ahead = run.commits_ahead ? `  ${run.commits_ahead} commit(s) on ${run.branch}` : '';
    return `${run.run_id}: ${run.success ? 'SUCCESS' : 'FAILED'}${run.error ? `  ${run.error}` : ''}${ahead}${kept}`;
  });
  return `${lines.join('\n')}\nTotal: ${result.runs.filter((run) => run.success).length}/${result.runs.length} successful\n`;
}

async function sourceWorkspace(flags: Record<string, unknown>, io: CliIo) {
  return openSourceRepo({ ...workspaceFlags(flags, io), workspace: stringFlag(flags.sourceRepo, '--source-repo') });
}

export async function superviseCommand(_args: string[], flags: Record<string, unknown>, io: CliIo): Promise<number> {
  const format = choiceFlag(stringFlag(flags.format, '--format'), '--format', ['json', 'text'] as const, 'json');
  const logger = await createCliLogger(io);
  if (flags.listWorktrees === true) {
    const workspace = await sourceWorkspace(flags, io);
    const worktrees = await Promise.all(
      (await listWorktrees(workspace.git)).map(async (worktree) => {
        const lease = await inspectLock(leasePath(workspace.runsDir, worktree.path));
        return { ...worktree, leased: Boolean(lease && !lease.stale) };
      }),
    );
    io.stdout(
      format === 'json'
        ? toJsonText(worktrees)
        : `${worktrees.map((w) => `${relative(io.cwd, w.path) || '.'}  ${w.detached ? '(detached)' : (w.branch ?? '')}  ${(w.head ?? '').slice(0, 8)}${w.leased ? '  leased' : ''}`).join('\n')}\n`,
    );
    return 0;
  }
  if (flags.cleanup === true) {
    const workspace = await sourceWorkspace(flags, io);
    const { collectGarbage } = await import('../../supervisor/gc.ts');
    const items = await collectGarbage({ runsDir: workspace.runsDir, git: workspace.git, execute: true, worktreesOnly: true });
    io.stdout(format === 'json' ? toJsonText(items) : formatItems(items, io.cwd));
    logger.info(`Cleaned up ${items.filter((item) => item.removed).length} worktrees`);
    reportKept(items, logger);
    return 0;
  }
  // Empty items are kept, so that `a,,b` is refused rather than silently read as `a,b`.
  const runIds = stringFlag(flags.runIds, '--run-ids')?.split(',').map((item) => item.trim());
  if (!runIds) throw new AutopackError('--run-ids is required to run (or use --list-worktrees / --cleanup)');
  if (flags.enable !== true) {
    throw new AutopackError('Supervised runs are disabled by default: nothing was created. Re-run with --enable to start the runs.');
  }
  const workersFlag = stringFlag(flags.workers, '--workers');
  const workers = workersFlag === undefined ? 3 : Number(workersFlag);
  const timeout = positiveNumber(stringFlag(flags.timeout, '--timeout'), '--timeout');
  if (io.interrupt) io.interrupt.cooperative = true;
  const progress = Boolean(io.stderr.isTTY);
  let outcome;
  try {
    outcome = await superviseRuns({
      runIds,
      workers,
      ...workspaceFlags(flags, io),
      sourceRepo: stringFlag(flags.sourceRepo, '--source-repo'),
      anchorPath: stringFlag(flags.anchorPath, '--anchor-path'),
      exec: stringFlag(flags.exec, '--exec'),
      ...(timeout ? { timeoutMs: timeout * 1000 } : {}),
      keepWorktrees: flags.keepWorktrees === true,
      discardWork: flags.discardWork === true,
      ...(flags.branchPrefix !== undefined ? { branchPrefix: stringFlag(flags.branchPrefix, '--branch-prefix') } : {}),
      clock: clockFromEnv(io.env),
      logger,
      ...(io.interrupt ? { signal: io.interrupt.signal } : {}),
      ...(progress ? { onEvent: (entry) => entry.run_id !== undefined && io.stderr.write(`[${String(entry.run_id)}] ${String(entry.type).replace(/_/g, ' ')}\n`) } : {}),
    });
  } catch (error) {
    // The runs happened even if their records could not all be written: stdout still gets the result.
    if (error instanceof SupervisorIoError && error.result) io.stdout(format === 'json' ? toJsonText(error.result) : textSummary(error.result));
    throw error;
  } finally {
    // Everything is released: a later interrupt ends the process at once.
    if (io.interrupt) io.interrupt.cooperative = false;
  }
  const { result, resultPath } = outcome;
  io.stdout(format === 'json' ? toJsonText(result) : textSummary(result));
  logger.info(`Supervisor ${result.supervisor_id}: ${result.status}; result in ${relative(io.cwd, resultPath) || resultPath}`);
  for (const run of result.runs.filter((r) => r.worktree_kept && r.kept_reason !== 'keep_worktrees')) {
    logger.warn(`${run.run_id}: worktree kept, it holds work: ${relative(io.cwd, run.worktree) || run.worktree} (branch ${run.branch})`);
  }
  if (result.status === 'interrupted') return 130;
  return result.status === 'succeeded' ? 0 : 1;
}

export async function gcCommand(_args: string[], flags: Record<string, unknown>, io: CliIo): Promise<number> {
  const format = choiceFlag(stringFlag(flags.format, '--format'), '--format', ['text', 'json'] as const, 'text');
  const logger = await createCliLogger(io);
  const workspace = await sourceWorkspace(flags, io);
  const { collectGarbage } = await import('../../supervisor/gc.ts');
  const items = await collectGarbage({ runsDir: workspace.runsDir, git: workspace.git, execute: flags.execute === true });
  io.stdout(format === 'json' ? toJsonText(items) : formatItems(items, io.cwd));
  const stale = items.filter((item) => item.stale).length;
  reportKept(items, logger);
  if (flags.execute === true) logger.info(`Removed ${items.filter((item) => item.removed).length} stale item(s)`);
  else if (stale > 0) logger.info(`${stale} stale item(s); re-run with --execute to remove them`);
  return 0;
}
