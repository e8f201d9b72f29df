// AutopilotSessionV1 and PhaseProof → the Python tool's forms. The lossy mappings, and why:
//
// - session `action_results` is dropped (the Python session records only the executed ids);
//   the verdicts stay in the phase proof written with it (`probes_executed`).
// - the session's ids follow the compat plan, so that a reader can link the two artifacts it
//   has: `anchor_id` stays `anchor-<raw_input_digest>` (the Python plan's form; the Python
//   autopilot wrote the bare digest, which no plan carries), `gap_report_id` is the compat
//   plan's `gap-report-<digest[:12]>`, and `plan_proposal_id` is autopack's proposal id
//   formula applied to the compat plan as written (`plan-` + sha256(anchor_id|gap_report_id|
//   action_id:status…)[:12]), since the Python plan has no id field of its own (the Python
//   autopilot made up a random one).
// - the proof's `project_id` is dropped (the Python proof has none).
import type { AutopilotSessionV1 } from '../contracts/autopilot-session.ts';
import type { GapReportV1 } from '../contracts/gap-report.ts';
import type { PhaseProof } from '../contracts/phase-proof.ts';
import { legacyReportId } from '../gaps/ids.ts';
import { proposalId } from '../planning/propose.ts';
import { assertContract } from '../util/errors.ts';
import { PythonAutopilotSessionV1, PythonPhaseProof, type PythonPlanProposalV1 } from './python-schemas.ts';

export interface PythonSessionResult {
  session: PythonAutopilotSessionV1;
  /** What this session had that the Python form cannot hold, one line each, for a human. */
  losses: string[];
}

export interface SessionLinks {
  /** The gap report the session scanned (gives `gap_report_id` when there is no plan). */
  report?: Pick<GapReportV1, 'workspace_state_digest'> | undefined;
  /** The compat plan written with the session (gives `gap_report_id` and `plan_proposal_id`). */
  plan?: PythonPlanProposalV1 | undefined;
}

/** The id of a compat plan: autopack's proposal id formula over the fields the plan has. */
export function pythonPlanId(plan: PythonPlanProposalV1): string {
  return proposalId(plan.anchor_id, plan.gap_report_id, plan.actions);
}

/**
 * The session with exactly the Python model's fields, in its order; checked against that model.
 * Without `links` the ids are kept as they are.
 */
export function toPythonSession(session: AutopilotSessionV1, links: SessionLinks = {}): PythonSessionResult {
  const results = session.action_results ?? [];
  const losses =
    results.length > 0 ? [`action_results dropped: ${results.length} per-action result(s); their verdicts stay in the phase proof's probes_executed`] : [];
  const gapReportId = links.plan?.gap_report_id ?? (links.report ? legacyReportId(links.report.workspace_state_digest) : session.gap_report_id);
  const summary = session.execution_summary;
  const metadata = session.metadata;
  const python: PythonAutopilotSessionV1 = {
    format_version: 'v1',
    project_id: session.project_id,
    run_id: session.run_id,
    session_id: session.session_id,
    started_at: session.started_at,
    ...(session.completed_at !== undefined ? { completed_at: session.completed_at } : {}),
    status: session.status,
    anchor_id: session.anchor_id,
    gap_report_id: gapReportId,
    plan_proposal_id: links.plan ? pythonPlanId(links.plan) : session.plan_proposal_id,
    ...(summary
      ? {
          execution_summary: {
            total_actions: summary.total_actions ?? 0,
            auto_approved_actions: summary.auto_approved_actions ?? 0,
            executed_actions: summary.executed_actions ?? 0,
            successful_actions: summary.successful_actions ?? 0,
            failed_actions: summary.failed_actions ?? 0,
            blocked_actions: summary.blocked_actions ?? 0,
          },
        }
      : {}),
    executed_action_ids: [...(session.executed_action_ids ?? [])],
    ...(session.blocked_reason !== undefined ? { blocked_reason: session.blocked_reason } : {}),
    approval_requests: (session.approval_requests ?? []).map((request) => ({ action_id: request.action_id, approval_status: request.approval_status, reason: request.reason })),
    error_log: (session.error_log ?? []).map((entry) => ({
      timestamp: entry.timestamp,
      ...(entry.action_id !== undefined ? { action_id: entry.action_id } : {}),
      error_type: entry.error_type,
      error_message: entry.error_message,
    })),
    ...(metadata
      ? {
          metadata: {
            ...(metadata.autopilot_version !== undefined ? { autopilot_version: metadata.autopilot_version } : {}),
            ...(metadata.session_duration_ms !== undefined ? { session_duration_ms: metadata.session_duration_ms } : {}),
            ...(metadata.enabled_explicitly !== undefined ? { enabled_explicitly: metadata.enabled_explicitly } : {}),
          },
        }
      : {}),
  };
  assertContract(PythonAutopilotSessionV1, python, 'the Python-compatible autopilot session');
  return { session: python, losses };
}

/** The proof with exactly the Python model's fields, in its order: all but `project_id`. Nothing else is lost. */
export function toPythonPhaseProof(proof: PhaseProof): PythonPhaseProof {
  const { changes, verification } = proof;
  const python: PythonPhaseProof = {
    proof_id: proof.proof_id,
    run_id: proof.run_id,
    phase_id: proof.phase_id,
    created_at: proof.created_at,
    completed_at: proof.completed_at,
    duration_seconds: proof.duration_seconds,
    changes: {
      files_created: changes.files_created ?? 0,
      files_modified: changes.files_modified ?? 0,
      files_deleted: changes.files_deleted ?? 0,
      key_changes: [...(changes.key_changes ?? [])],
      change_summary: changes.change_summary,
    },
    verification: {
      tests_passed: verification.tests_passed ?? 0,
      tests_failed: verification.tests_failed ?? 0,
      probes_executed: [...(verification.probes_executed ?? [])],
      contracts_verified: [...(verification.contracts_verified ?? [])],
      verification_summary: verification.verification_summary,
    },
    success: proof.success,
    error_summary: proof.error_summary ?? null,
    schema_version: '1.0',
    metrics_placeholder: proof.metrics_placeholder ?? false,
  };
  assertContract(PythonPhaseProof, python, 'the Python-compatible phase proof');
  return python;
}
