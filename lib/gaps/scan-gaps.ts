import { join } from 'node:path';
import type { GapReportV1 } from '../contracts/gap-report.ts';
import { openWorkspace, type Workspace, type WorkspaceOptions } from '../config/workspace.ts';
import { writeJsonAtomic } from '../fs/atomic-write.ts';
import { ensureRunsDirExcluded } from '../fs/git-exclude.ts';
import { RUN_ARTIFACTS } from '../fs/run-layout.ts';
import { packageVersion } from '../paths.ts';
import { AutopackError } from '../util/errors.ts';
import { createSharedScanState } from './context.ts';
import { runDetectors } from './scan.ts';

export interface ScanGapsOptions extends WorkspaceOptions {
  /** Run only these detectors. */
  only?: readonly string[] | undefined;
  /** Extra protected paths (for example from an anchor). */
  protectedPaths?: readonly string[];
  /** Write `gaps/gap_report_v1.json` under the run directory. */
  write?: boolean;
  /** Override of the workspace digest (tests). */
  digest?: () => Promise<string>;
}

export interface ScanGapsResult {
  report: GapReportV1;
  workspace: Workspace;
  /** Absolute path of the written report, when `write` was set. */
  artifactPath?: string;
}

/** Protected paths of the Python tool's scanner (reference A §5.2 (8)). */
export const DEFAULT_PROTECTED_PATHS = ['docs/', 'config/', '.github/'] as const;

/** Scans a workspace for gaps. The library entry point behind `autopack gaps scan`. */
export async function scanGaps(options: ScanGapsOptions): Promise<ScanGapsResult> {
  const workspace = await openWorkspace(options);
  return scanOpenWorkspace(workspace, options);
}

export async function scanOpenWorkspace(
  workspace: Workspace,
  options: Pick<ScanGapsOptions, 'only' | 'protectedPaths' | 'write' | 'digest'> = {},
): Promise<ScanGapsResult> {
  if (options.only) {
    const unknown = options.only.filter((id) => !workspace.registry.detectors.has(id));
    if (unknown.length > 0) {
      const known = [...workspace.registry.detectors.keys()].sort().join(', ');
      throw new AutopackError(`Unknown detector in --only: ${unknown.join(', ')} (known: ${known})`);
    }
  }
  const config = workspace.config.config;
  const optionsById = new Map([...workspace.plans].map(([id, plan]) => [id, plan.options]));
  const shared = createSharedScanState({
    root: workspace.root,
    runsDir: workspace.runsDir,
    git: workspace.git,
    repo: workspace.repo,
    clock: workspace.clock,
    logger: workspace.logger,
    env: workspace.env,
    protectedPaths: [...DEFAULT_PROTECTED_PATHS, ...(config.protected_paths ?? []), ...(options.protectedPaths ?? [])],
    exclude: config.exclude ?? [],
    optionsById,
    checksById: config.checks ?? {},
  });
  const report = await runDetectors({
    shared,
    registry: workspace.registry,
    plans: workspace.plans,
    ...(options.only ? { only: options.only } : {}),
    projectId: workspace.projectId,
    runId: workspace.runId,
    scannerVersion: packageVersion(),
    ...(options.digest ? { digest: options.digest } : {}),
  });
  if (!options.write) return { report, workspace };
  const artifactPath = join(workspace.runDir, RUN_ARTIFACTS.gapReport);
  await ensureRunsDirExcluded(workspace.git, workspace.root, workspace.runsDir);
  await writeJsonAtomic(artifactPath, report);
  return { report, workspace, artifactPath };
}
