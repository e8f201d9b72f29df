import { relative } from 'node:path';
import { planStarterConfig, writeStarterConfig, type StarterFormat } from '../../config/init-config.ts';
import { locateWorkspace } from '../../config/workspace.ts';
import type { Flags } from '../commands.ts';
import { str } from '../flags.ts';
import { createCliLogger, type CliIo } from '../io.ts';

export async function initCommand(_args: string[], flags: Flags, io: CliIo): Promise<number> {
  const logger = await createCliLogger(io);
  const { root } = await locateWorkspace({ workspace: str(flags, 'workspace'), cwd: io.cwd, env: io.env, ...(io.gitBin ? { gitBin: io.gitBin } : {}) });
  const plan = planStarterConfig({ root, format: (str(flags, 'format') ?? 'yaml') as StarterFormat });
  io.stdout(plan.content);
  const shown = relative(io.cwd, plan.path) || plan.path;
  if (flags.write !== true) {
    logger.info(`Nothing written: this is the starter config for ${shown}; pass --write to create it`);
    return 0;
  }
  await writeStarterConfig(plan);
  logger.success(`Wrote ${shown}; check it with \`autopack validate ${shown}\``);
  return 0;
}
