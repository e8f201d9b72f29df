import { relative } from 'node:path';
import { toJsonText } from '../../fs/atomic-write.ts';
import { planWorkspace } from '../../planning/plan-workspace.ts';
import { formatPlanText } from '../../report/plan-text.ts';
import { clockFromEnv } from '../../util/clock.ts';
import { choiceFlag, stringFlag, workspaceFlags } from '../flags.ts';
import { createCliLogger, type CliIo } from '../io.ts';

export async function planProposeCommand(_args: string[], flags: Record<string, unknown>, io: CliIo): Promise<number> {
  const format = choiceFlag(stringFlag(flags.format, '--format'), '--format', ['json', 'text'] as const, 'json');
  const clock = clockFromEnv(io.env);
  const logger = await createCliLogger(io);
  const result = await planWorkspace({
    ...workspaceFlags(flags, io),
    anchorPath: stringFlag(flags.anchorPath, '--anchor-path'),
    gapReportPath: stringFlag(flags.gapReportPath, '--gap-report-path'),
    write: flags.write === true,
    clock,
    logger,
  });
  for (const warning of result.warnings) logger.warn(warning);
  io.stdout(format === 'json' ? toJsonText(result.plan) : formatPlanText(result.plan));
  const summary = result.plan.summary!;
  logger.info(
    `Generated ${summary.total_actions} actions (${summary.auto_approved_actions} auto-approved, ${summary.requires_approval_actions} require approval, ${summary.blocked_actions} blocked)`,
  );
  if (result.artifactPath) logger.success(`Wrote plan proposal: ${relative(io.cwd, result.artifactPath) || result.artifactPath}`);
  return 0;
}
