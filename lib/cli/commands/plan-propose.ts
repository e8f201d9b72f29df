import { relative } from 'node:path';
import type { CompatTool } from '../../compat/python.ts';
import { planWorkspace } from '../../planning/plan-workspace.ts';
import { countOf } from '../../report/human.ts';
import { clockFromEnv } from '../../util/clock.ts';
import type { Flags } from '../commands.ts';
import { str, workspaceFlags } from '../flags.ts';
import { createCliLogger, emit, type CliIo } from '../io.ts';

export async function planProposeCommand(_args: string[], flags: Flags, io: CliIo): Promise<number> {
  const logger = await createCliLogger(io);
  const result = await planWorkspace({
    ...workspaceFlags(flags, io),
    anchorPath: str(flags, 'anchorPath'),
    gapReportPath: str(flags, 'gapReportPath'),
    write: flags.write === true,
    compat: flags.compat as CompatTool | undefined,
    clock: clockFromEnv(io.env),
    logger,
  });
  for (const warning of result.warnings) logger.warn(warning);
  // --compat changes the artifact (the JSON); other formats render autopack's plan as always.
  await emit(io, 'plan', flags.format, result.compat && flags.format === 'json' ? result.compat.plan : result.plan);
  for (const loss of result.compat?.losses ?? []) logger.warn(`--compat ${String(flags.compat)}: ${loss}`);
  const summary = result.plan.summary!;
  logger.info(
    `Generated ${countOf(summary.total_actions, 'action')} (${summary.auto_approved_actions} auto-approved, ${summary.requires_approval_actions} ${summary.requires_approval_actions === 1 ? 'requires' : 'require'} approval, ${summary.blocked_actions} blocked)`,
  );
  if (result.artifactPath) logger.success(`Wrote plan proposal: ${relative(io.cwd, result.artifactPath) || result.artifactPath}`);
  return 0;
}
