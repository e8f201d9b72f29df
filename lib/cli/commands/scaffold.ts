import { resolve } from 'node:path';
import { openWorkspace, type Workspace } from '../../config/workspace.ts';
import { planScaffold, writeScaffold, type ScaffoldPlan } from '../../plugin-kit/scaffold.ts';
import { UsageError } from '../../util/errors.ts';
import type { Flags } from '../commands.ts';
import { str, workspaceFlags } from '../flags.ts';
import { createCliLogger, type CliIo } from '../io.ts';

/** Each file as it would be written, under a `==> path <==` line (the way `head` shows several files). */
function listing(plan: ScaffoldPlan): string {
  return plan.files.map((file) => `==> ${file.path} <==\n${file.content}`).join('\n');
}

/** Whether the config already lists the new plugin (by the file it names). */
function listed(workspace: Workspace, plan: ScaffoldPlan): boolean {
  const target = resolve(workspace.root, plan.pluginEntry);
  return (workspace.config.config.plugins ?? []).some((entry) => resolve(workspace.config.baseDir, entry) === target);
}

async function scaffoldCommand(kind: 'detector' | 'action', args: string[], flags: Flags, io: CliIo): Promise<number> {
  const logger = await createCliLogger(io);
  // The scaffold only needs the workspace's root and config: no plugin is loaded (a broken one must not stop a new one).
  const workspace = await openWorkspace({ ...workspaceFlags(flags, io), loadPlugins: false });
  const id = args[0]!;
  const taken = kind === 'detector' ? workspace.registry.detectors.get(id) : workspace.registry.actions.get(id);
  if (taken) throw new UsageError(`${kind} id '${id}' is taken by ${taken.source}`, 'choose another id');
  const dirFlag = str(flags, 'dir');
  const plan = planScaffold({
    kind,
    id,
    root: workspace.root,
    dir: dirFlag ? resolve(io.cwd, dirFlag) : resolve(workspace.root, 'plugins'),
    typescript: flags.typescript === true,
    ...(kind === 'action' ? { verifies: (flags.verifies as string[] | undefined) ?? [] } : {}),
  });
  io.stdout(listing(plan));
  if (flags.write !== true) {
    logger.info(`Nothing written: these are the ${plan.files.length} files of the ${kind} ${id}; pass --write to create them`);
    return 0;
  }
  await writeScaffold(workspace.root, plan);
  logger.success(`Wrote ${plan.files.map((file) => file.path).join(', ')}`);
  if (kind === 'action' && ((flags.verifies as string[] | undefined) ?? []).length === 0) logger.info('It verifies no gap type yet: set `verifies` (or pass --verifies) so that the planner proposes it');
  logger.info(`Run its test: ${plan.testCommand} (needs autopack installed in the workspace: npm i -D autopack)`);
  if (listed(workspace, plan)) logger.info(`The config already lists ${plan.pluginEntry}`);
  else logger.info(`To use it, add it to the config's plugins (${workspace.configDisplay ?? 'autopack.config.yaml'}): plugins: [${plan.pluginEntry}]`);
  return 0;
}

export const detectorsNewCommand = (args: string[], flags: Flags, io: CliIo) => scaffoldCommand('detector', args, flags, io);
export const actionsNewCommand = (args: string[], flags: Flags, io: CliIo) => scaffoldCommand('action', args, flags, io);
