import { relative } from 'node:path';
import { FAIL_ON_LEVELS } from '../../contracts/config.ts';
import { toJsonText } from '../../fs/atomic-write.ts';
import { scanGaps } from '../../gaps/scan-gaps.ts';
import { failsOn } from '../../gaps/summary.ts';
import { formatGapReportText } from '../../report/gap-report-text.ts';
import { clockFromEnv } from '../../util/clock.ts';
import { choiceFlag, listFlag, stringFlag, workspaceFlags } from '../flags.ts';
import { createCliLogger, type CliIo } from '../io.ts';

export async function gapsScanCommand(_args: string[], flags: Record<string, unknown>, io: CliIo): Promise<number> {
  const format = choiceFlag(stringFlag(flags.format, '--format'), '--format', ['json', 'text'] as const, 'json');
  const failOnFlag = stringFlag(flags.failOn, '--fail-on');
  const failOn = failOnFlag === undefined ? undefined : choiceFlag(failOnFlag, '--fail-on', FAIL_ON_LEVELS, 'blocker');
  const only = listFlag(stringFlag(flags.only, '--only'));
  const clock = clockFromEnv(io.env);
  const logger = await createCliLogger(io);
  const { report, workspace, artifactPath } = await scanGaps({
    ...workspaceFlags(flags, io),
    only,
    write: flags.write === true,
    clock,
    logger,
    ...(io.gitBin ? { gitBin: io.gitBin } : {}),
  });
  io.stdout(format === 'json' ? toJsonText(report) : formatGapReportText(report));
  const summary = report.summary!;
  logger.info(`Found ${summary.total_gaps} gaps (${summary.autopilot_blockers} blockers) in ${workspace.root}`);
  if (artifactPath) logger.success(`Wrote gap report: ${relative(io.cwd, artifactPath) || artifactPath}`);
  return failsOn(report.gaps, failOn ?? workspace.config.config.fail_on ?? 'blocker') ? 1 : 0;
}
