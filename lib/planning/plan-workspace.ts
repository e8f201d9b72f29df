import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { loadAnchor } from '../anchor/load-anchor.ts';
import type { CompatTool } from '../compat/python.ts';
import { toPythonPlan, type PythonPlanResult } from '../compat/python-plan.ts';
import type { GapReportV1 } from '../contracts/gap-report.ts';
import { PlanProposalV1 } from '../contracts/plan-proposal.ts';
import { openWorkspace, type Workspace, type WorkspaceOptions } from '../config/workspace.ts';
import { writeRunJson } from '../fs/run-write.ts';
import { ensureRunsDirExcluded } from '../fs/git-exclude.ts';
import { readGapReport } from '../gaps/read-report.ts';
import { relativeInside, RUN_ARTIFACTS } from '../fs/run-layout.ts';
import { packageVersion } from '../paths.ts';
import { knownGapTypes } from '../registry/load.ts';
import { assertContract, AutopackError } from '../util/errors.ts';
import { planFacts } from './plan-facts.ts';
import { proposePlan } from './propose.ts';
import type { IntentionAnchorV2 } from '../contracts/anchor.ts';
import type { PlanProposalV1 as Plan } from '../contracts/plan-proposal.ts';

export interface PlanWorkspaceOptions extends WorkspaceOptions {
  anchorPath?: string | undefined;
  gapReportPath?: string | undefined;
  /** Write `plans/plan_proposal_v1.json` under the run directory. */
  write?: boolean;
  /** `python`: also build the plan in the Python tool's form, and write that form instead. */
  compat?: CompatTool | undefined;
}

export interface PlanWorkspaceResult {
  plan: Plan;
  workspace: Workspace;
  anchorPath: string;
  reportPath: string;
  artifactPath?: string;
  /** Mismatched ids between anchor, report and flags: for stderr, not fatal. */
  warnings: string[];
  /** With `compat`: the plan as written for that tool, and what it could not hold. */
  compat?: PythonPlanResult;
}

export { readGapReport };

function idWarnings(anchor: IntentionAnchorV2, report: GapReportV1, options: PlanWorkspaceOptions, workspace: Workspace): string[] {
  const warnings: string[] = [];
  if (anchor.project_id !== report.project_id) warnings.push(`project ids differ: anchor '${anchor.project_id}', gap report '${report.project_id}'`);
  if (options.projectId !== undefined && options.projectId !== anchor.project_id) warnings.push(`--project-id '${options.projectId}' differs from the anchor's '${anchor.project_id}'`);
  if (report.run_id !== workspace.runId) warnings.push(`run ids differ: gap report '${report.run_id}', --run-id '${workspace.runId}'`);
  return warnings;
}

/**
 * `autopack plan propose` as a library call: loads the anchor (refusing to guess when there
 * is none) and the gap report, proposes the plan, and writes it only when asked.
 */
export async function planWorkspace(options: PlanWorkspaceOptions): Promise<PlanWorkspaceResult> {
  const workspace = await openWorkspace(options);
  const show = (path: string) => relative(workspace.cwd, path) || path;
  const { anchor, path: anchorPath } = await loadAnchor({ anchorPath: options.anchorPath, runDir: workspace.runDir, cwd: workspace.cwd, workspace: workspace.root });
  const reportPath = options.gapReportPath ? resolve(workspace.cwd, options.gapReportPath) : join(workspace.runDir, RUN_ARTIFACTS.gapReport);
  if (!existsSync(reportPath)) {
    throw new AutopackError(`No gap report at ${show(reportPath)}`, {
      hint: 'run `autopack gaps scan --write` first (with the same --run-id and --project-id), or pass --gap-report-path FILE',
    });
  }
  // The run-local report (no flag) is never read through a symlink out of the workspace.
  const guard = !options.gapReportPath && relativeInside(workspace.root, reportPath) !== undefined ? { root: workspace.root } : {};
  const report = await readGapReport(reportPath, options.gapReportPath ?? show(reportPath), knownGapTypes(workspace.registry), guard);
  const plan = await proposePlan({
    anchor,
    report,
    registry: workspace.registry,
    runDirRel: relativeInside(workspace.root, workspace.runDir),
    clock: workspace.clock,
    extraProtected: workspace.config.config.protected_paths ?? [],
    facts: await planFacts(workspace.git),
    ...(options.projectId ? { projectId: options.projectId } : {}),
    version: packageVersion(),
  });
  assertContract(PlanProposalV1, plan, 'the plan proposal');
  const result: PlanWorkspaceResult = { plan, workspace, anchorPath, reportPath, warnings: idWarnings(anchor, report, options, workspace) };
  // --compat: the same plan in the form the other tool loads; that form is what gets written.
  if (options.compat === 'python') result.compat = toPythonPlan(plan, report);
  if (options.write) {
    const artifactPath = join(workspace.runDir, RUN_ARTIFACTS.planProposal);
    await ensureRunsDirExcluded(workspace.git, workspace.root, workspace.runsDir);
    await writeRunJson(workspace.runsDir, artifactPath, result.compat ? result.compat.plan : plan);
    result.artifactPath = artifactPath;
  }
  return result;
}
