import { join, resolve } from 'node:path';
import type { CompatTool } from '../compat/python.ts';
import type { PythonGapReportResult } from '../compat/python-gap-report.ts';
import type { GapReportV1 } from '../contracts/gap-report.ts';
import { openWorkspace, type Workspace, type WorkspaceOptions } from '../config/workspace.ts';
import { writeRunJson } from '../fs/run-write.ts';
import { ensureRunsDirExcluded } from '../fs/git-exclude.ts';
import { RUN_ARTIFACTS } from '../fs/run-layout.ts';
import { packageVersion } from '../paths.ts';
import { AutopackError } from '../util/errors.ts';
import { compareCodePoints } from '../util/sort.ts';
import { createSharedScanState, type ScanPlan } from './context.ts';
import { runsDirCache } from './scan-cache.ts';
import { readGapReport } from './read-report.ts';
import { knownGapTypes } from '../registry/load.ts';
import { compareWithBaseline } from './baseline.ts';
import { resolvePartialScope, type ScanScope } from './scope.ts';
import { readStatus } from '../git/status.ts';
import { stagedDigest } from '../git/digest.ts';
import { WatchedChecks } from './watched-checks.ts';

/** How long a detector may take by default (one whose checks' own limits add up to more gets those). */
const DEFAULT_DETECTOR_TIMEOUT_S = 300;
import { runDetectors } from './scan.ts';

export interface ScanGapsOptions extends WorkspaceOptions {
  /** Run only these detectors. */
  only?: readonly string[] | undefined;
  /** Protected paths added to the protected-path detector's own (default: the config's `protected_paths`). */
  protectedPaths?: readonly string[];
  /** Write `gaps/gap_report_v1.json` under the run directory. */
  write?: boolean;
  /** Run the detectors' mechanical checks (repository code); default: true for a full scan, false for a partial one. */
  checks?: boolean;
  /** The whole workspace (default), or only a change's files: staged, since a ref, or given. */
  scope?: ScanScope;
  /** An earlier GapReportV1: every gap is marked new or unchanged against it. */
  baselinePath?: string;
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
  // No checks means no repository code at all: the config's plugins are not loaded either.
  const workspace = await openWorkspace({ ...options, loadPlugins: options.checks ?? (options.scope ?? { mode: 'full' }).mode === 'full' });
  // Read before scanning: a bad baseline is a usage error, and nothing should have run for it.
  const baseline = options.baselinePath
    ? await readGapReport(resolve(workspace.cwd, options.baselinePath), options.baselinePath, knownGapTypes(workspace.registry))
    : undefined;
  return scanOpenWorkspace(workspace, { ...options, ...(baseline ? { baseline } : {}) });
}

export async function scanOpenWorkspace(
  workspace: Workspace,
  options: Pick<ScanGapsOptions, 'only' | 'protectedPaths' | 'write' | 'digest' | 'checks' | 'scope' | 'compat'> & { baseline?: GapReportV1 } = {},
): Promise<ScanGapsResult> {
  if (options.only) {
    const unknown = options.only.filter((id) => !workspace.registry.detectors.has(id));
    if (unknown.length > 0) {
      const known = [...workspace.registry.detectors.keys()].sort().join(', ');
      throw new AutopackError(`Unknown detector in --only: ${unknown.join(', ')} (known: ${known})`, {
        ...(workspace.pluginsNotLoaded ? { hint: `the config's plugins (${workspace.pluginsNotLoaded.join(', ')}) are not loaded: this scan runs no repository code; pass --checks to load them` } : {}),
      });
    }
  }
  const config = workspace.config.config;
  // Only the detectors that run are imported: --only, else every one the config does not disable.
  const enabled = (options.only ? [...new Set(options.only)] : [...workspace.registry.detectors.keys()].filter((id) => config.detectors?.[id]?.enabled !== false)).sort(compareCodePoints);
  const scope = options.scope ?? { mode: 'full' as const };
  // A partial scan skips the detectors that judge only whole repositories before importing them.
  const wholeRepository = scope.mode === 'full' ? [] : enabled.filter((id) => !workspace.registry.detectors.get(id)!.partial);
  const ids = enabled.filter((id) => !wholeRepository.includes(id));
  // Before anything can land in the runs dir (the report, a cache): it must never show in git status.
  if (options.write) await ensureRunsDirExcluded(workspace.git, workspace.root, workspace.runsDir);
  // The scan's one git status starts now, alongside everything else (it is the slowest git read).
  // A staged scan needs none: it judges the index, and its digest comes from the index's changes.
  const status = scope.mode === 'staged' ? undefined : readStatus(workspace.git);
  const partialScope = scope.mode === 'full' ? undefined : resolvePartialScope(scope, workspace.git, workspace.repo);
  // A partial scan (a hook, a CI job on a branch) runs no repository code unless asked to.
  const runChecks = options.checks ?? scope.mode === 'full';
  const notes: string[] = [];
  const plansReady: Promise<ScanPlan[]> = Promise.all(
    ids.map(async (id) => {
      const plan = await workspace.plans.get(id);
      const checks = runChecks ? await workspace.checksOf(id) : [];
      if (!runChecks && plan.detector.accepts_checks && (scope.mode === 'full' || plan.detector.partial)) notes.push(`${id}: no checks run (${scope.mode !== 'full' ? `a ${scope.mode} scan runs them only with --checks` : '--no-checks: no repository code runs'})`);
      const ownLimit = config.detectors?.[id]?.timeout_s;
      const checksLimit = checks.reduce((sum, check) => sum + (check.timeout_s ?? 60), 30);
      const timeoutMs = (ownLimit ?? Math.max(DEFAULT_DETECTOR_TIMEOUT_S, checksLimit)) * 1000;
      const entry = workspace.registry.detectors.get(id)!;
      return { detector: plan.detector, options: plan.options, settings: plan.settings, checks, timeoutMs, builtin: entry.builtin, ...(entry.plugin ? { plugin: entry.plugin } : {}) };
    }),
  );
  const [active, partial] = await Promise.all([plansReady, partialScope]);
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
    watched: new WatchedChecks(workspace),
    ...(partial ? { partial } : {}),
    ...(status ? { status } : {}),
    pluginsLoaded: [...new Set([...workspace.registry.detectors.values(), ...workspace.registry.actions.values()].filter((entry) => !entry.builtin).map((entry) => entry.source))].sort(compareCodePoints),
  });
  shared.notes.push(...workspace.notes, ...notes);
  for (const { path, reason } of partial?.leftOut ?? []) shared.notes.push(`--files: ${path} left out: ${reason}`);
  if (workspace.subfolder) shared.notes.push(`partial scan: only ${workspace.subfolder} of the repository ${workspace.repo.topLevel ?? ''} was scanned`);
  const scanned = await runDetectors({
    shared,
    ...(workspace.subfolder ? { subfolder: workspace.subfolder } : {}),
    skipped: wholeRepository.map((id) => ({ id, reason: `judges the whole repository, not a ${scope.mode} change` })),
    registry: workspace.registry,
    projectId: workspace.projectId,
    runId: workspace.runId,
    scannerVersion: packageVersion(),
    ...(options.digest ? { digest: options.digest } : partial?.mode === 'staged' ? { digest: async () => stagedDigest(workspace.repo, partial) } : {}),
  });
  const report = options.baseline ? compareWithBaseline(scanned, options.baseline) : scanned;
  // --compat: the same report in the form the other tool loads; that form is what gets written.
  const compat = options.compat === 'python' ? (await import('../compat/python-gap-report.ts')).toPythonGapReport(report) : undefined;
  const result: ScanGapsResult = { report, workspace, ...(compat ? { compat } : {}) };
  if (!options.write) return result;
  const artifactPath = join(workspace.runDir, RUN_ARTIFACTS.gapReport);
  await writeRunJson(workspace.runsDir, artifactPath, compat ? compat.report : report);
  return { ...result, artifactPath };
}
