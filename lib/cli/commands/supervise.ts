import { relative } from 'node:path';
import { openWorkspace } from '../../config/workspace.ts';
import { collectGarbage } from '../../supervisor/gc.ts';
import { superviseRuns } from '../../supervisor/supervise.ts';
import { inspectLock } from '../../supervisor/lock-file.ts';
import { leasePath, listWorktrees } from '../../supervisor/worktree.ts';
import { clockFromEnv } from '../../util/clock.ts';
import { AutopackError } from '../../util/errors.ts';
import type { Flags } from '../commands.ts';
import { str, workspaceFlags } from '../flags.ts';
import { createCliLogger, emit, type CliIo } from '../io.ts';

async function sourceWorkspace(flags: Flags, io: CliIo) {
  return openWorkspace({ ...workspaceFlags(flags, io), workspace: str(flags, 'sourceRepo') });
}

export async function superviseCommand(_args: string[], flags: Flags, io: CliIo): Promise<number> {
  const format = flags.format;
  const logger = await createCliLogger(io);
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
    const items = await collectGarbage({ runsDir: workspace.runsDir, git: workspace.git, execute: true, worktreesOnly: true });
    await emit(io, 'gc', format, items);
    logger.info(`Cleaned up ${items.filter((item) => item.removed).length} worktrees`);
    return 0;
  }
  const runIds = flags.runIds as string[] | undefined;
  if (!runIds) throw new AutopackError('--run-ids is required to run (or use --list-worktrees / --cleanup)');
  if (flags.enable !== true) {
    throw new AutopackError('Supervised runs are disabled by default: nothing was created. Re-run with --enable to start the runs.');
  }
  const workers = (flags.workers as number | undefined) ?? 3;
  const timeout = flags.timeout as number | undefined;
  if (io.interrupt) io.interrupt.cooperative = true;
  const progress = Boolean(io.stderr.isTTY);
  const { result, resultPath } = await superviseRuns({
    runIds,
    workers,
    ...workspaceFlags(flags, io),
    sourceRepo: str(flags, 'sourceRepo'),
    anchorPath: str(flags, 'anchorPath'),
    exec: str(flags, 'exec'),
    ...(timeout ? { timeoutMs: timeout * 1000 } : {}),
    keepWorktrees: flags.keepWorktrees === true,
    clock: clockFromEnv(io.env),
    logger,
    ...(io.interrupt ? { signal: io.interrupt.signal } : {}),
    ...(progress ? { onEvent: (entry) => entry.run_id !== undefined && io.stderr.write(`[${String(entry.run_id)}] ${String(entry.type).replace(/_/g, ' ')}\n`) } : {}),
  });
  await emit(io, 'supervisor-result', format, result);
  logger.info(`Supervisor ${result.supervisor_id}: ${result.status}; result in ${relative(io.cwd, resultPath) || resultPath}`);
  if (result.status === 'interrupted') return 130;
  return result.status === 'succeeded' ? 0 : 1;
}

export async function gcCommand(_args: string[], flags: Flags, io: CliIo): Promise<number> {
  const logger = await createCliLogger(io);
  const workspace = await sourceWorkspace(flags, io);
  const items = await collectGarbage({ runsDir: workspace.runsDir, git: workspace.git, execute: flags.execute === true });
  await emit(io, 'gc', flags.format, items);
  const stale = items.filter((item) => item.stale).length;
  if (flags.execute === true) logger.info(`Removed ${items.filter((item) => item.removed).length} stale item(s)`);
  else if (stale > 0) logger.info(`${stale} stale item(s); re-run with --execute to remove them`);
  return 0;
}
