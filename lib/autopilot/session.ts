import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { anchorId } from '../anchor/create-anchor.ts';
import { loadAnchor } from '../anchor/load-anchor.ts';
import { AutopilotSessionV1, type ActionResult } from '../contracts/autopilot-session.ts';
import type { GapReportV1 } from '../contracts/gap-report.ts';
import type { PhaseProof } from '../contracts/phase-proof.ts';
import type { PlanProposalV1 } from '../contracts/plan-proposal.ts';
import { openWorkspace, type Workspace, type WorkspaceOptions } from '../config/workspace.ts';
import { writeJsonAtomic } from '../fs/atomic-write.ts';
import { ensureRunsDirExcluded } from '../fs/git-exclude.ts';
import { relativeInside, RUN_ARTIFACTS } from '../fs/run-layout.ts';
import { resolveChecks } from '../gaps/default-checks.ts';
import { scanOpenWorkspace } from '../gaps/scan-gaps.ts';
import { compilePolicy } from '../governance/policy.ts';
import { packageVersion } from '../paths.ts';
import { proposePlan } from '../planning/propose.ts';
import { proofMetrics } from '../proof/metrics.ts';
import { buildPhaseProof, proofFileName } from '../proof/phase-proof.ts';
import { assertContract, AutopackError, errorMessage } from '../util/errors.ts';
import { shortSha256 } from '../util/hash.ts';
import { executeAction, type ExecutionContext } from './execute-action.ts';
import { compareSnapshots, snapshotWorkspace } from './snapshot.ts';

export const AUTOPILOT_VERSION = '1.0.0';

export interface AutopilotOptions extends WorkspaceOptions {
  /** Nothing happens without it: autopilot is off by default. */
  enable: boolean;
  /** Write the four artifacts (report, plan, session, proof); without it nothing is written. */
  write?: boolean;
  anchorPath?: string | undefined;
  /** Session id factory (tests); by default derived from the plan and the start time. */
  sessionId?: (plan: PlanProposalV1 | undefined, startedAt: Date) => string;
}

export interface AutopilotResult {
  session: AutopilotSessionV1;
  report?: GapReportV1;
  plan?: PlanProposalV1;
  proof?: PhaseProof;
  workspace: Workspace;
  /** Absolute paths written (with `write`). */
  written: string[];
}

type Session = AutopilotSessionV1;
type ApprovalRequest = NonNullable<Session['approval_requests']>[number];

/** The reference's wording (reference B §4.2), with the gaps that block autopilot named first. */
function blockedReason(requests: readonly ApprovalRequest[], blockingGaps: readonly string[]): string {
  const blocked = requests.filter((request) => request.approval_status === 'blocked').length;
  const pending = requests.length - blocked;
  const parts: string[] = [];
  if (blockingGaps.length > 0) parts.push(`${blockingGaps.length} gap(s) block autopilot (${blockingGaps.join(', ')}): only read-only verification ran`);
  if (blocked > 0) parts.push(`${blocked} action(s) blocked by governance; ${pending} action(s) require manual approval`);
  else if (pending > 0) parts.push(`${pending} action(s) require manual approval`);
  return parts.join('; ');
}

/**
 * `autopilot-` + 8 hex. With a fixed clock (SOURCE_DATE_EPOCH, tests) it derives from the plan
 * alone, so the same state gives the same bytes; otherwise a random part keeps every session's
 * proof apart. Never a timestamp in the hash.
 */
function defaultSessionId(plan: PlanProposalV1 | undefined, fixed: boolean): string {
  return `autopilot-${shortSha256(`${plan?.proposal_id ?? 'no-plan'}|${fixed ? '' : randomUUID()}`, 8)}`;
}

/**
 * One autopilot session: scan, propose, execute each auto-approved action through its handler
 * (in plan order, effects verified), turn everything else into an approval request, and prove
 * what changed. Refuses without `enable` (nothing scanned, nothing written) and without an
 * anchor. Never throws once started: a failure is a `failed` session, still returned.
 */
export async function runAutopilotSession(options: AutopilotOptions): Promise<AutopilotResult> {
  if (!options.enable) {
    throw new AutopackError('Autopilot is disabled by default: nothing was scanned or written. Re-run with --enable to execute safe actions.');
  }
  const workspace = await openWorkspace(options);
  const { anchor } = await loadAnchor({ anchorPath: options.anchorPath, runDir: workspace.runDir, cwd: workspace.cwd });
  const clock = workspace.clock;
  const startedAt = clock.now();
  const mark = clock.mark();
  const runDirRel = relativeInside(workspace.root, workspace.runDir);
  const protectedPaths = anchor.pivot_intentions.scope_boundaries?.protected_paths ?? [];
  const policy = compilePolicy(anchor, workspace.config.config.protected_paths ?? []);

  const approvals: ApprovalRequest[] = [];
  const results: ActionResult[] = [];
  const executed: string[] = [];
  const errors: NonNullable<Session['error_log']> = [];
  let report: GapReportV1 | undefined;
  let plan: PlanProposalV1 | undefined;
  let internalFailure = false;

  // Before any run-local write: the runs dir must never show in git status (nor change the digest).
  if (options.write) await ensureRunsDirExcluded(workspace.git, workspace.root, workspace.runsDir);
  const before = await snapshotWorkspace(workspace.root, workspace.git, workspace.runsDir);
  try {
    report = (await scanOpenWorkspace(workspace, { protectedPaths })).report;
    plan = proposePlan({
      anchor,
      report,
      registry: workspace.registry,
      runDirRel,
      clock,
      extraProtected: workspace.config.config.protected_paths ?? [],
      version: packageVersion(),
    });
    const resolvedChecks = new Map<string, ReturnType<typeof resolveChecks>>();
    const context: ExecutionContext = {
      workspace,
      policy,
      runDirRel,
      report,
      protectedPaths,
      write: options.write === true,
      // Resolved once per session: the default checks probe the disk and PATH.
      checksOf: (detectorId) => {
        let checks = resolvedChecks.get(detectorId);
        if (!checks) {
          checks = resolveChecks(detectorId, {
            root: workspace.root,
            pathEnv: workspace.env.PATH,
            configured: workspace.config.config.checks ?? {},
            options: workspace.plans.get(detectorId)?.options,
          });
          resolvedChecks.set(detectorId, checks);
        }
        return checks;
      },
    };
    const blocking = report.gaps.filter((gap) => gap.blocks_autopilot).map((gap) => gap.gap_id);
    for (const action of plan.actions) {
      if (action.approval_status !== 'auto_approved') {
        approvals.push({ action_id: action.action_id, approval_status: action.approval_status, reason: action.approval_reason ?? 'No reason provided' });
        continue;
      }
      const effects = action.effects ?? [];
      if (blocking.length > 0 && !effects.every((effect) => effect === 'read_only')) {
        approvals.push({ action_id: action.action_id, approval_status: 'requires_approval', reason: `A gap blocks autopilot (${blocking.join(', ')}): only read-only verification runs` });
        continue;
      }
      if (!context.write && effects.includes('run_local_write')) {
        approvals.push({ action_id: action.action_id, approval_status: 'requires_approval', reason: 'Writes its run directory: re-run with --write' });
        continue;
      }
      const outcome = await executeAction(action, context);
      if (!outcome.executed) {
        approvals.push({ action_id: action.action_id, ...outcome.refusal });
        continue;
      }
      executed.push(action.action_id);
      results.push(outcome.result);
      if (outcome.error) errors.push({ timestamp: clock.now().toISOString(), action_id: action.action_id, ...outcome.error });
    }
  } catch (error) {
    internalFailure = true;
    errors.push({ timestamp: clock.now().toISOString(), error_type: error instanceof Error ? error.name : 'Error', error_message: errorMessage(error) });
  }

  const completedAt = clock.now();
  const failed = results.filter((result) => !result.success).length;
  const blocking = report?.gaps.filter((gap) => gap.blocks_autopilot).map((gap) => gap.gap_id) ?? [];
  const status: Session['status'] =
    internalFailure || failed > 0 ? 'failed' : approvals.length > 0 || blocking.length > 0 ? 'blocked_approval_required' : 'completed';
  const session: Session = {
    format_version: 'v1',
    project_id: workspace.projectId,
    run_id: workspace.runId,
    session_id: options.sessionId ? options.sessionId(plan, startedAt) : defaultSessionId(plan, clock.fixed),
    started_at: startedAt.toISOString(),
    completed_at: completedAt.toISOString(),
    status,
    anchor_id: anchorId(anchor),
    gap_report_id: report?.report_id ?? '',
    plan_proposal_id: plan?.proposal_id ?? '',
    execution_summary: {
      total_actions: plan?.actions.length ?? 0,
      auto_approved_actions: plan?.summary?.auto_approved_actions ?? 0,
      executed_actions: executed.length,
      successful_actions: results.filter((result) => result.success).length,
      failed_actions: failed,
      blocked_actions: approvals.filter((request) => request.approval_status === 'blocked').length,
    },
    executed_action_ids: executed,
    ...(status === 'blocked_approval_required' ? { blocked_reason: blockedReason(approvals, blocking) } : {}),
    approval_requests: approvals,
    error_log: errors,
    action_results: results,
    metadata: { autopilot_version: AUTOPILOT_VERSION, session_duration_ms: clock.since(mark), enabled_explicitly: true },
  };
  assertContract(AutopilotSessionV1, session, 'the autopilot session');

  // The proof measures what this session changed: it must be nothing outside the run directory.
  const changes = compareSnapshots(before, await snapshotWorkspace(workspace.root, workspace.git, workspace.runsDir));
  const state = await proofMetrics(workspace.git, { excludePrefix: runDirRel === undefined ? undefined : relativeInside(workspace.root, workspace.runsDir) });
  const verdicts = results.map((result) => `${result.action_id} ${result.handler}: ${result.verdict ?? (result.success ? 'ok' : 'failed')}`);
  const proof = buildPhaseProof({
    runId: workspace.runId,
    projectId: workspace.projectId,
    phaseId: session.session_id,
    createdAt: startedAt,
    completedAt,
    success: status !== 'failed',
    errorSummary: errors.map((entry) => `${entry.error_type}: ${entry.error_message}`).join('\n') || undefined,
    changes,
    testsPassed: results.filter((result) => result.success).length,
    testsFailed: failed,
    probes: verdicts,
    contracts: results.filter((result) => result.effects_verified).map((result) => `${result.action_id}: declared effects of ${result.handler} held`),
    verificationSummary: `Session ${status}: ${executed.length} action(s) executed (${failed} failed), ${approvals.length} approval request(s); repository changes made by the session: ${changes.created.length + changes.modified.length + changes.deleted.length}` +
      (state.metrics_placeholder ? '' : `; the workspace differs from HEAD by ${state.files_modified} modified, ${state.files_created} created, ${state.files_deleted} deleted file(s)`),
    metricsPlaceholder: !workspace.repo.gitAvailable,
  });

  const written: string[] = [];
  if (options.write) {
    const artifacts: Array<[string, unknown]> = [
      ...(report ? [[RUN_ARTIFACTS.gapReport, report] as [string, unknown]] : []),
      ...(plan ? [[RUN_ARTIFACTS.planProposal, plan] as [string, unknown]] : []),
      [RUN_ARTIFACTS.autopilotSession, session],
      [join(RUN_ARTIFACTS.proofs, proofFileName(proof.phase_id)), proof],
    ];
    for (const [relativePath, value] of artifacts) {
      const path = join(workspace.runDir, relativePath);
      await writeJsonAtomic(path, value);
      written.push(path);
    }
  }
  return { session, ...(report ? { report } : {}), ...(plan ? { plan } : {}), proof, workspace, written };
}
