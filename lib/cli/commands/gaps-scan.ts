import { relative } from 'node:path';
import type { CompatTool } from '../../compat/python.ts';
import type { FailOn } from '../../contracts/config.ts';
import { scanGaps } from '../../gaps/scan-gaps.ts';
import { decidingGaps } from '../../gaps/baseline.ts';
import type { ScanScope } from '../../gaps/scope.ts';
import { failsOn } from '../../gaps/summary.ts';
import { UsageError } from '../../util/errors.ts';
import { countOf } from '../../report/human.ts';
import { registryLookup } from '../../report/detector-lookup.ts';
import { summaryLine } from '../../report/gap-report/text.ts';
import { clockFromEnv } from '../../util/clock.ts';
import type { Flags } from '../commands.ts';
import { workspaceFlags } from '../flags.ts';
import { createCliLogger, emit, type CliIo } from '../io.ts';

/** At most one of --staged, --since and --files: the scan's scope. */
function scopeOf(args: string[], flags: Flags): ScanScope {
  const given = [flags.staged === true && '--staged', flags.since !== undefined && '--since', flags.files === true && '--files'].filter(Boolean);
  if (given.length > 1) throw new UsageError(`${given.join(' and ')} cannot be combined: choose one scope`);
  if (args.length > 0 && flags.files !== true) throw new UsageError(`paths given (${args[0]}…) without --files`, 'pass --files to scan only those paths');
  if (flags.staged === true) return { mode: 'staged' };
  if (flags.since !== undefined) return { mode: 'since', ref: String(flags.since) };
  if (flags.files === true) return { mode: 'files', files: args };
  return { mode: 'full' };
}

export async function gapsScanCommand(args: string[], flags: Flags, io: CliIo): Promise<number> {
  const scope = scopeOf(args, flags);
  const logger = await createCliLogger(io);
  const { report, workspace, artifactPath, compat } = await scanGaps({
    ...workspaceFlags(flags, io),
    only: flags.only as string[] | undefined,
    ...(typeof flags.checks === 'boolean' ? { checks: flags.checks } : {}),
    scope,
    ...(flags.baseline !== undefined ? { baselinePath: String(flags.baseline) } : {}),
    write: flags.write === true,
    compat: flags.compat as CompatTool | undefined,
    clock: clockFromEnv(io.env),
    logger,
    ...(io.gitBin ? { gitBin: io.gitBin } : {}),
  });
  if (workspace.movedUpFrom) logger.info(`Scanning the whole repository at ${workspace.root} (run from ${workspace.movedUpFrom}; --workspace ${workspace.movedUpFrom} scans that folder alone)`);
  if (workspace.subfolder) logger.warn(`Partial scan: only ${workspace.subfolder} of the repository at ${workspace.repo.topLevel}`);
  // --compat changes the artifact (the JSON); other formats render autopack's report as always.
  // Reporters that describe rules (SARIF) see the workspace's detectors, plugins included.
  await emit(io, 'gap-report', flags.format, compat && flags.format === 'json' ? compat.report : report, { detectors: registryLookup(workspace.registry) });
  for (const loss of compat?.losses ?? []) logger.warn(`--compat ${String(flags.compat)}: ${loss}`);
  const summary = report.summary!;
  // The counts go to stderr only, whatever the format: stdout holds the report itself.
  if (flags.format === 'text') logger.info(summaryLine(report));
  else logger.info(`Found ${countOf(summary.total_gaps, 'gap')} (${countOf(summary.autopilot_blockers, 'blocker')}) in ${workspace.root}`);
  if (artifactPath) logger.success(`Wrote gap report: ${relative(io.cwd, artifactPath) || artifactPath}`);
  if (report.metadata?.baseline) logger.info(`Baseline ${report.metadata.baseline.report_id}: ${countOf(report.metadata.baseline.new_gaps, 'new gap')}; only new gaps decide the exit code`);
  return failsOn(decidingGaps(report), (flags.failOn as FailOn | undefined) ?? workspace.config.config.fail_on ?? 'blocker') ? 1 : 0;
}
