import { openWorkspace } from '../../config/workspace.ts';
import { planPreCommitHook, writePreCommitHook } from '../../hooks/install.ts';
import { cliEntry } from '../../paths.ts';
import type { Flags } from '../commands.ts';
import { workspaceFlags } from '../flags.ts';
import { createCliLogger, type CliIo } from '../io.ts';

export async function hooksInstallCommand(_args: string[], flags: Flags, io: CliIo): Promise<number> {
  const logger = await createCliLogger(io);
  const workspace = await openWorkspace(workspaceFlags(flags, io));
  const bin = cliEntry();
  const plan = await planPreCommitHook(workspace.git, workspace.root, bin);
  io.stdout(plan.content);
  if (flags.write !== true) {
    logger.info(`Nothing written: this is the hook for ${plan.path}; pass --write to install it`);
    return 0;
  }
  await writePreCommitHook(plan);
  logger.success(`${plan.replaces ? 'Replaced' : 'Installed'} the pre-commit hook: ${plan.path}`);
  return 0;
}
