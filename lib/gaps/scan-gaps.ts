import { join } from 'node:path';
import type { CompatTool } from '../compat/python.ts';
import { toPythonGapReport, type PythonGapReportResult } from '../compat/python-gap-report.ts';
import type { GapReportV1 } from '../contracts/gap-report.ts';
import { openWorkspace, type Workspace, type WorkspaceOptions } from '../config/workspace.ts';
import { writeJsonAtomic } from '../fs/atomic-write.ts';
import { ensureRunsDirExcluded } from '../fs/git-exclude.ts';
import { RUN_ARTIFACTS } from '../fs/run-layout.ts';
import { packageVersion } from '../paths.ts';
import { AutopackError } from '../util/errors.ts';
import { compareCodePoints } from '../util/sort.ts';
import { createSharedScanState, type ScanPlan } from './context.ts';
import { runsDirCache } from './scan-cache.ts';
import { runDetectors } from './scan.ts';

export interface ScanGapsOptions extends WorkspaceOptions {
  /** Run only these detectors. */
  only?: readonly string[] | undefined;
  /** Protected paths added to the protected-path detector's own (default: the config's `protected_paths`). */
  protectedPaths?: readonly string[];
  /** Write `gaps/gap_report_v1.json` under the run directory. */
  write?: boolean;
  /** Override of the workspace digest (tests). */
  digest?: () => Promise<string>;
  /** `python`: also build the report in the Python tool's form, and write that form instead. */
  compat?: CompatTool | undefined;
}

export interface ScanGapsResult {
  report: GapReportV1;
  workspace: Workspace;
  /** Absolute path of the written report, when `write` was set. */
  artifactPath?: string;
  /** With `compat`: the report as written for that tool, and what it could not hold. */
  compat?: PythonGapReportResult;
}

/** Scans a workspace for gaps. The library entry point behind `autopack gaps scan`. */
export async function scanGaps(options: ScanGapsOptions): Promise<ScanGapsResult> {
  const workspace = await openWorkspace(options);
  return scanOpenWorkspace(workspace, options);
}

export async function scanOpenWorkspace(
  workspace: Workspace,
  options: Pick<ScanGapsOptions, 'only' | 'protectedPaths' | 'write' | 'digest' | 'compat'> = {},
): Promise<ScanGapsResult> {
  if (options.only) {
    const unknown = options.only.filter((id) => !workspace.registry.detectors.has(id));
    if (unknown.length > 0) {
      const known = [...workspace.registry.detectors.keys()].sort().join(', ');
      throw new AutopackError(`Unknown detector in --only: ${unknown.join(', ')} (known: ${known})`);
    }
  }
  const config = workspace.config.config;
  // Only the detectors that run are imported: --only, else every one the config does not disable.
  const ids = (options.only ? [...new Set(options.only)] : [...workspace.registry.detectors.keys()].filter((id) => config.detectors?.[id]?.enabled !== false)).sort(compareCodePoints);
  const active: ScanPlan[] = await Promise.all(
    ids.map(async (id) => {
      const plan = await workspace.plans.get(id);
      return { detector: plan.detector, options: plan.options, settings: plan.settings, checks: await workspace.checksOf(id) };
    }),
  );
  // Before anything can land in the runs dir (the report, a cache): it must never show in git status.
  if (options.write) await ensureRunsDirExcluded(workspace.git, workspace.root, workspace.runsDir);
  const shared = createSharedScanState({
    root: workspace.root,
    runsDir: workspace.runsDir,
    git: workspace.git,
    repo: workspace.repo,
    clock: workspace.clock,
    logger: workspace.logger,
    env: workspace.env,
    protectedPaths: options.protectedPaths ?? config.protected_paths ?? [],
    exclude: config.exclude ?? [],
    active,
    cache: runsDirCache(workspace.runsDir, { write: options.write === true }),
  });
  const report = await runDetectors({
    shared,
    registry: workspace.registry,
    projectId: workspace.projectId,
    runId: workspace.runId,
    scannerVersion: packageVersion(),
    ...(options.digest ? { digest: options.digest } : {}),
  });
  // --compat: the same report in the form the other tool loads; that form is what gets written.
  const compat = options.compat === 'python' ? toPythonGapReport(report) : undefined;
  const result: ScanGapsResult = { report, workspace, ...(compat ? { compat } : {}) };
  if (!options.write) return result;
  const artifactPath = join(workspace.runDir, RUN_ARTIFACTS.gapReport);
  await writeJsonAtomic(artifactPath, compat ? compat.report : report);
  return { ...result, artifactPath };
}
