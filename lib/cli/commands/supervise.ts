import { relative } from 'node:path';
import { openWorkspace } from '../../config/workspace.ts';
import { toJsonText } from '../../fs/atomic-write.ts';
import { collectGarbage, type GcItem } from '../../supervisor/gc.ts';
import { superviseRuns } from '../../supervisor/supervise.ts';
import { inspectLock } from '../../supervisor/lock-file.ts';
import { leasePath, listWorktrees } from '../../supervisor/worktree.ts';
import { clockFromEnv } from '../../util/clock.ts';
import { AutopackError } from '../../util/errors.ts';
import { choiceFlag, listFlag, stringFlag, workspaceFlags } from '../flags.ts';
import { createCliLogger, type CliIo } from '../io.ts';

function positiveNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new AutopackError(`${flag} must be a positive number (got '${value}')`);
  return number;
}

function formatItems(items: readonly GcItem[], cwd: string): string {
  if (items.length === 0) return 'nothing to clean\n';
  return `${items.map((item) => `${item.kind.padEnd(16)} ${item.removed ? 'removed' : item.stale ? 'stale' : 'in use'}  ${relative(cwd, item.path) || item.path}  ${item.stale ?? item.holder ?? ''}`).join('\n')}\n`;
}

async function sourceWorkspace(flags: Record<string, unknown>, io: CliIo) {
  return openWorkspace({ ...workspaceFlags(flags, io), workspace: stringFlag(flags.sourceRepo, '--source-repo') });
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
    const items = await collectGarbage({ runsDir: workspace.runsDir, git: workspace.git, execute: true, worktreesOnly: true });
    io.stdout(format === 'json' ? toJsonText(items) : formatItems(items, io.cwd));
    logger.info(`Cleaned up ${items.filter((item) => item.removed).length} worktrees`);
    return 0;
  }
  const runIds = listFlag(stringFlag(flags.runIds, '--run-ids'));
  if (!runIds) throw new AutopackError('--run-ids is required to run (or use --list-worktrees / --cleanup)');
  if (flags.enable !== true) {
    throw new AutopackError('Supervised runs are disabled by default: nothing was created. Re-run with --enable to start the runs.');
  }
  const workersFlag = stringFlag(flags.workers, '--workers');
  const workers = workersFlag === undefined ? 3 : Number(workersFlag);
  const timeout = positiveNumber(stringFlag(flags.timeout, '--timeout'), '--timeout');
  if (io.interrupt) io.interrupt.cooperative = true;
  const progress = Boolean(io.stderr.isTTY);
  const { result, resultPath } = await superviseRuns({
    runIds,
    workers,
    ...workspaceFlags(flags, io),
    sourceRepo: stringFlag(flags.sourceRepo, '--source-repo'),
    anchorPath: stringFlag(flags.anchorPath, '--anchor-path'),
    exec: stringFlag(flags.exec, '--exec'),
    ...(timeout ? { timeoutMs: timeout * 1000 } : {}),
    keepWorktrees: flags.keepWorktrees === true,
    clock: clockFromEnv(io.env),
    logger,
    ...(io.interrupt ? { signal: io.interrupt.signal } : {}),
    ...(progress ? { onEvent: (entry) => entry.run_id !== undefined && io.stderr.write(`[${String(entry.run_id)}] ${String(entry.type).replace(/_/g, ' ')}\n`) } : {}),
  });
  io.stdout(
    format === 'json'
      ? toJsonText(result)
      : `${result.runs.map((run) => `${run.run_id}: ${run.success ? 'SUCCESS' : 'FAILED'}${run.error ? `  ${run.error}` : ''}`).join('\n')}\nTotal: ${result.runs.filter((run) => run.success).length}/${result.runs.length} successful\n`,
  );
  logger.info(`Supervisor ${result.supervisor_id}: ${result.status}; result in ${relative(io.cwd, resultPath) || resultPath}`);
  if (result.status === 'interrupted') return 130;
  return result.status === 'succeeded' ? 0 : 1;
}

export async function gcCommand(_args: string[], flags: Record<string, unknown>, io: CliIo): Promise<number> {
  const format = choiceFlag(stringFlag(flags.format, '--format'), '--format', ['text', 'json'] as const, 'text');
  const logger = await createCliLogger(io);
  const workspace = await sourceWorkspace(flags, io);
  const items = await collectGarbage({ runsDir: workspace.runsDir, git: workspace.git, execute: flags.execute === true });
  io.stdout(format === 'json' ? toJsonText(items) : formatItems(items, io.cwd));
  const stale = items.filter((item) => item.stale).length;
  if (flags.execute === true) logger.info(`Removed ${items.filter((item) => item.removed).length} stale item(s)`);
  else if (stale > 0) logger.info(`${stale} stale item(s); re-run with --execute to remove them`);
  return 0;
}
