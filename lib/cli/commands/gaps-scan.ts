import { relative } from 'node:path';
import type { CompatTool } from '../../compat/python.ts';
import type { FailOn } from '../../contracts/config.ts';
import { scanGaps } from '../../gaps/scan-gaps.ts';
import { failsOn } from '../../gaps/summary.ts';
import { clockFromEnv } from '../../util/clock.ts';
import type { Flags } from '../commands.ts';
import { workspaceFlags } from '../flags.ts';
import { createCliLogger, emit, type CliIo } from '../io.ts';

export async function gapsScanCommand(_args: string[], flags: Flags, io: CliIo): Promise<number> {
  const logger = await createCliLogger(io);
  const { report, workspace, artifactPath, compat } = await scanGaps({
    ...workspaceFlags(flags, io),
    only: flags.only as string[] | undefined,
    write: flags.write === true,
    compat: flags.compat as CompatTool | undefined,
    clock: clockFromEnv(io.env),
    logger,
    ...(io.gitBin ? { gitBin: io.gitBin } : {}),
  });
  // --compat changes the artifact (the JSON); other formats render autopack's report as always.
  await emit(io, 'gap-report', flags.format, compat && flags.format === 'json' ? compat.report : report);
  for (const loss of compat?.losses ?? []) logger.warn(`--compat ${String(flags.compat)}: ${loss}`);
  const summary = report.summary!;
  logger.info(`Found ${summary.total_gaps} gaps (${summary.autopilot_blockers} blockers) in ${workspace.root}`);
  if (artifactPath) logger.success(`Wrote gap report: ${relative(io.cwd, artifactPath) || artifactPath}`);
  return failsOn(report.gaps, (flags.failOn as FailOn | undefined) ?? workspace.config.config.fail_on ?? 'blocker') ? 1 : 0;
}
