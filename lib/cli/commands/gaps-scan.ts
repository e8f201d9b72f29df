import { relative } from 'node:path';
import type { FailOn } from '../../contracts/config.ts';
import { scanGaps } from '../../gaps/scan-gaps.ts';
import { failsOn } from '../../gaps/summary.ts';
import { countOf } from '../../report/human.ts';
import { clockFromEnv } from '../../util/clock.ts';
import type { Flags } from '../commands.ts';
import { workspaceFlags } from '../flags.ts';
import { createCliLogger, emit, type CliIo } from '../io.ts';

export async function gapsScanCommand(_args: string[], flags: Flags, io: CliIo): Promise<number> {
  const logger = await createCliLogger(io);
  const { report, workspace, artifactPath } = await scanGaps({
    ...workspaceFlags(flags, io),
    only: flags.only as string[] | undefined,
    ...(flags.checks === false ? { checks: false } : {}),
    write: flags.write === true,
    clock: clockFromEnv(io.env),
    logger,
    ...(io.gitBin ? { gitBin: io.gitBin } : {}),
  });
  await emit(io, 'gap-report', flags.format, report);
  const summary = report.summary!;
  // In text mode the summary is the report's last line already; once is enough.
  if (flags.format !== 'text') logger.info(`Found ${countOf(summary.total_gaps, 'gap')} (${countOf(summary.autopilot_blockers, 'blocker')}) in ${workspace.root}`);
  if (artifactPath) logger.success(`Wrote gap report: ${relative(io.cwd, artifactPath) || artifactPath}`);
  return failsOn(report.gaps, (flags.failOn as FailOn | undefined) ?? workspace.config.config.fail_on ?? 'blocker') ? 1 : 0;
}
