import { relative } from 'node:path';
import type { FailOn } from '../../contracts/config.ts';
import { scanGaps } from '../../gaps/scan-gaps.ts';
import { failsOn } from '../../gaps/summary.ts';
import { registryLookup } from '../../report/detector-lookup.ts';
import { clockFromEnv } from '../../util/clock.ts';
import type { Flags } from '../commands.ts';
import { workspaceFlags } from '../flags.ts';
import { createCliLogger, emit, type CliIo } from '../io.ts';

export async function gapsScanCommand(_args: string[], flags: Flags, io: CliIo): Promise<number> {
  const logger = await createCliLogger(io);
  const { report, workspace, artifactPath } = await scanGaps({
    ...workspaceFlags(flags, io),
    only: flags.only as string[] | undefined,
    write: flags.write === true,
    clock: clockFromEnv(io.env),
    logger,
    ...(io.gitBin ? { gitBin: io.gitBin } : {}),
  });
  // Reporters that describe rules (SARIF) see the workspace's detectors, plugins included.
  await emit(io, 'gap-report', flags.format, report, { detectors: registryLookup(workspace.registry) });
  const summary = report.summary!;
  logger.info(`Found ${summary.total_gaps} gaps (${summary.autopilot_blockers} blockers) in ${workspace.root}`);
  if (artifactPath) logger.success(`Wrote gap report: ${relative(io.cwd, artifactPath) || artifactPath}`);
  return failsOn(report.gaps, (flags.failOn as FailOn | undefined) ?? workspace.config.config.fail_on ?? 'blocker') ? 1 : 0;
}
