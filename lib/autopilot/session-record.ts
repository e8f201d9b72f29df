import { randomUUID } from 'node:crypto';
import { anchorId } from '../anchor/create-anchor.ts';
import { AutopilotSessionV1 } from '../contracts/autopilot-session.ts';
import type { GapReportV1 } from '../contracts/gap-report.ts';
import type { PhaseProof } from '../contracts/phase-proof.ts';
import type { PlanProposalV1 } from '../contracts/plan-proposal.ts';
import { relativeInside } from '../fs/run-layout.ts';
import { compareFingerprints, type Fingerprint } from '../git/fingerprint.ts';
import { proofMetrics } from '../proof/metrics.ts';
import { buildPhaseProof } from '../proof/phase-proof.ts';
import { assertContract } from '../util/errors.ts';
import { shortSha256 } from '../util/hash.ts';
import type { ExecutionLog } from './execute-plan.ts';
import type { SessionContext } from './session-context.ts';

export const AUTOPILOT_VERSION = '1.0.0';

type Session = AutopilotSessionV1;
type ApprovalRequest = NonNullable<Session['approval_requests']>[number];

/** Why the session waits, with the gaps that block autopilot named first. */
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
export function defaultSessionId(plan: PlanProposalV1 | undefined, fixed: boolean): string {
  return `autopilot-${shortSha256(`${plan?.proposal_id ?? 'no-plan'}|${fixed ? '' : randomUUID()}`, 8)}`;
}

export interface SessionFacts {
  sessionId: string;
  startedAt: Date;
  completedAt: Date;
  durationMs: number;
  report: GapReportV1 | undefined;
  plan: PlanProposalV1 | undefined;
  log: ExecutionLog;
  internalFailure: boolean;
}

/** The AutopilotSessionV1 of what happened, checked against its contract. */
export function recordSession(session: SessionContext, facts: SessionFacts): Session {
  const { log, report, plan } = facts;
  const failed = log.results.filter((result) => !result.success).length;
  const blocking = report?.gaps.filter((gap) => gap.blocks_autopilot).map((gap) => gap.gap_id) ?? [];
  const status: Session['status'] =
    facts.internalFailure || failed > 0 ? 'failed' : log.approvals.length > 0 || blocking.length > 0 ? 'blocked_approval_required' : 'completed';
  const record: Session = {
    format_version: 'v1',
    project_id: session.workspace.projectId,
    run_id: session.workspace.runId,
    session_id: facts.sessionId,
    started_at: facts.startedAt.toISOString(),
    completed_at: facts.completedAt.toISOString(),
    status,
    anchor_id: anchorId(session.anchor),
    gap_report_id: report?.report_id ?? '',
    plan_proposal_id: plan?.proposal_id ?? '',
    execution_summary: {
      total_actions: plan?.actions.length ?? 0,
      auto_approved_actions: plan?.summary?.auto_approved_actions ?? 0,
      executed_actions: log.executed.length,
      successful_actions: log.results.filter((result) => result.success).length,
      failed_actions: failed,
      blocked_actions: log.approvals.filter((request) => request.approval_status === 'blocked').length,
    },
    executed_action_ids: log.executed,
    ...(status === 'blocked_approval_required' ? { blocked_reason: blockedReason(log.approvals, blocking) } : {}),
    approval_requests: log.approvals,
    error_log: log.errors,
    action_results: log.results,
    metadata: { autopilot_version: AUTOPILOT_VERSION, session_duration_ms: facts.durationMs, enabled_explicitly: true },
  };
  assertContract(AutopilotSessionV1, record, 'the autopilot session');
  return record;
}

/**
 * The phase proof: what the session itself changed (it must be nothing outside the run
 * directory), and the workspace's own difference from HEAD.
 */
export async function proveSession(session: SessionContext, record: Session, start: Fingerprint, end: Fingerprint): Promise<PhaseProof> {
  const { workspace } = session;
  const changes = compareFingerprints(start, end);
  const state = await proofMetrics(workspace.git, { excludePrefix: session.runDirRel === undefined ? undefined : relativeInside(workspace.root, workspace.runsDir) });
  const results = record.action_results ?? [];
  const failed = results.filter((result) => !result.success).length;
  const executed = record.executed_action_ids ?? [];
  const approvals = record.approval_requests ?? [];
  const changed = changes.created.length + changes.modified.length + changes.deleted.length + changes.git.length;
  return buildPhaseProof({
    runId: workspace.runId,
    projectId: workspace.projectId,
    phaseId: record.session_id,
    createdAt: new Date(record.started_at),
    completedAt: new Date(record.completed_at!),
    success: record.status !== 'failed',
    errorSummary: (record.error_log ?? []).map((entry) => `${entry.error_type}: ${entry.error_message}`).join('\n') || undefined,
    // git's own state (a moved HEAD, a new hook) counts as modified, named under .git/.
    changes: { created: changes.created, modified: [...changes.modified, ...changes.git.map((entry) => `.git/${entry.replace(/ \((created|changed|deleted)\)$/, '')}`)], deleted: changes.deleted },
    testsPassed: results.filter((result) => result.success).length,
    testsFailed: failed,
    probes: results.map((result) => `${result.action_id} ${result.handler}: ${result.verdict ?? (result.success ? 'ok' : 'failed')}`),
    contracts: results.filter((result) => result.effects_verified).map((result) => `${result.action_id}: declared effects of ${result.handler} held`),
    verificationSummary:
      `Session ${record.status}: ${executed.length} action(s) executed (${failed} failed), ${approvals.length} approval request(s); repository changes made by the session: ${changed}` +
      (state.metrics_placeholder ? '' : `; the workspace differs from HEAD by ${state.files_modified} modified, ${state.files_created} created, ${state.files_deleted} deleted file(s)`),
    metricsPlaceholder: !workspace.repo.gitAvailable,
  });
}
