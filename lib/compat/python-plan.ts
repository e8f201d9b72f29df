// PlanProposalV1 → the Python tool's PlanProposalV1. The lossy mappings, and why:
//
// - `proposal_id` is dropped (the Python plan has no id). `gap_report_id` becomes the id a
//   Python reader computes for the report, `gap-report-<workspace_state_digest[:12]>`, since
//   the compat report has no `report_id` to match autopack's.
// - `autopilot_blocked` is dropped; the report's gaps still say `blocks_autopilot`.
// - `handler` and `effects` are dropped; `approval_reason` still names the effects behind an
//   approval.
// - `verify` actions (not in the Python enum) are written as `custom`, the enum's catch-all,
//   with the original type appended to the description. They are kept rather than dropped:
//   they are the actions autopilot executes, so the session's `executed_action_ids` and
//   `approval_requests` refer to them, and the summary counts stay those of the decisions
//   actually made. The Python tool executes no plan it reads (its autopilot proposes its own),
//   so the label cannot make it run anything. Action ids are unchanged.
// - `budget_compliance.estimated_usage_pct` is a percent 0–100 in autopack and a fraction 0–1
//   in the Python model (bounded by 1.0): divided by 100.
// - `governance_checks.notes` is dropped (each note becomes a loss line).
// - Defaults the Python model fills (`risk_factors`, `target_paths`, `dependencies`,
//   `never_auto_approve_violations`, `protected_path_checks`) are always written.
import type { GapReportV1 } from '../contracts/gap-report.ts';
import type { Action, PlanProposalV1 } from '../contracts/plan-proposal.ts';
import { legacyReportId } from '../gaps/ids.ts';
import { assertContract } from '../util/errors.ts';
import { PythonPlanProposalV1, type PythonAction } from './python-schemas.ts';

export interface PythonPlanResult {
  plan: PythonPlanProposalV1;
  /** What this plan had that the Python form cannot hold, one line each, for a human. */
  losses: string[];
}

/** Appended to the description of a `verify` action written as `custom`. */
export const VERIFY_MARKER = '(autopack action_type: verify)';

/** A percent with at most two decimals as the fraction it stands for, without float noise (0.9 → 0.009). */
export function percentToFraction(percent: number): number {
  return Math.round(percent * 100) / 10000;
}

function pythonAction(action: Action): PythonAction {
  const verify = action.action_type === 'verify';
  const description = verify ? [action.description, VERIFY_MARKER].filter((part) => part !== undefined && part !== '').join(' ') : action.description;
  return {
    action_id: action.action_id,
    action_type: action.action_type === 'verify' ? 'custom' : action.action_type,
    ...(action.title !== undefined ? { title: action.title } : {}),
    ...(description !== undefined ? { description } : {}),
    target_gap_ids: [...action.target_gap_ids],
    risk_score: action.risk_score,
    risk_factors: [...(action.risk_factors ?? [])],
    approval_status: action.approval_status,
    ...(action.approval_reason !== undefined ? { approval_reason: action.approval_reason } : {}),
    target_paths: [...(action.target_paths ?? [])],
    ...(action.command !== undefined ? { command: action.command } : {}),
    ...(action.estimated_cost
      ? {
          estimated_cost: {
            ...(action.estimated_cost.tokens !== undefined ? { tokens: action.estimated_cost.tokens } : {}),
            ...(action.estimated_cost.time_seconds !== undefined ? { time_seconds: action.estimated_cost.time_seconds } : {}),
            ...(action.estimated_cost.api_calls !== undefined ? { api_calls: action.estimated_cost.api_calls } : {}),
          },
        }
      : {}),
    dependencies: [...(action.dependencies ?? [])],
    ...(action.rollback_strategy !== undefined ? { rollback_strategy: action.rollback_strategy } : {}),
  };
}

function governanceChecks(checks: NonNullable<PlanProposalV1['governance_checks']>, losses: string[]): NonNullable<PythonPlanProposalV1['governance_checks']> {
  for (const note of checks.notes ?? []) losses.push(`governance_checks.notes dropped: ${note}`);
  const budget = checks.budget_compliance;
  return {
    default_deny_applied: checks.default_deny_applied,
    never_auto_approve_violations: [...(checks.never_auto_approve_violations ?? [])],
    protected_path_checks: (checks.protected_path_checks ?? []).map((check) => ({ path: check.path, is_protected: check.is_protected, action_id: check.action_id })),
    ...(budget
      ? {
          budget_compliance: {
            within_global_cap: budget.within_global_cap,
            within_per_call_cap: budget.within_per_call_cap,
            ...(budget.estimated_usage_pct !== undefined ? { estimated_usage_pct: percentToFraction(budget.estimated_usage_pct) } : {}),
          },
        }
      : {}),
  };
}

/**
 * The plan with exactly the Python model's fields, in its order; checked against that model.
 * `report` is the gap report the plan was proposed from: its digest gives `gap_report_id`.
 */
export function toPythonPlan(plan: PlanProposalV1, report: Pick<GapReportV1, 'workspace_state_digest'>): PythonPlanResult {
  const losses: string[] = [];
  if (plan.autopilot_blocked) losses.push('autopilot_blocked dropped: a gap of the report blocks autopilot (its blocks_autopilot stays in the report)');
  const verifications = plan.actions.filter((action) => action.action_type === 'verify').map((action) => action.action_id);
  if (verifications.length > 0) {
    losses.push(`${verifications.length} verify action(s) written as action_type custom (verify is not a Python action type): ${verifications.join(', ')}`);
  }
  const actions = plan.actions.map(pythonAction);
  const { summary, metadata } = plan;
  const python: PythonPlanProposalV1 = {
    format_version: 'v1',
    project_id: plan.project_id,
    run_id: plan.run_id,
    generated_at: plan.generated_at,
    anchor_id: plan.anchor_id,
    gap_report_id: legacyReportId(report.workspace_state_digest),
    actions,
    ...(summary
      ? {
          summary: {
            total_actions: summary.total_actions,
            auto_approved_actions: summary.auto_approved_actions,
            requires_approval_actions: summary.requires_approval_actions,
            blocked_actions: summary.blocked_actions,
            ...(summary.total_estimated_tokens !== undefined ? { total_estimated_tokens: summary.total_estimated_tokens } : {}),
            ...(summary.total_estimated_time_seconds !== undefined ? { total_estimated_time_seconds: summary.total_estimated_time_seconds } : {}),
          },
        }
      : {}),
    ...(plan.governance_checks ? { governance_checks: governanceChecks(plan.governance_checks, losses) } : {}),
    ...(metadata
      ? {
          metadata: {
            ...(metadata.proposer_version !== undefined ? { proposer_version: metadata.proposer_version } : {}),
            ...(metadata.generation_duration_ms !== undefined ? { generation_duration_ms: metadata.generation_duration_ms } : {}),
          },
        }
      : {}),
  };
  assertContract(PythonPlanProposalV1, python, 'the Python-compatible plan proposal');
  return { plan: python, losses };
}
