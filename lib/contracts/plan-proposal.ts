import * as v from 'valibot';
import { DateTime, EFFECTS, NonEmptyString, NonNegativeInt } from './common.ts';

export const ACTION_TYPES = [
  'tidy_apply',
  'test_fix',
  'doc_update',
  'baseline_refresh',
  'config_update',
  'dependency_install',
  'file_move',
  'file_delete',
  'git_operation',
  'custom',
  // A read-only re-run of a mechanical check or inspection that verifies a gap.
  'verify',
] as const;

export const APPROVAL_STATUSES = ['auto_approved', 'requires_approval', 'blocked'] as const;

export const EstimatedCost = v.strictObject({
  tokens: v.optional(NonNegativeInt),
  time_seconds: v.optional(NonNegativeInt),
  api_calls: v.optional(NonNegativeInt),
});

export const Action = v.strictObject({
  action_id: v.string(),
  action_type: v.picklist(ACTION_TYPES),
  title: v.optional(v.string()),
  description: v.optional(v.string()),
  target_gap_ids: v.array(v.string()),
  risk_score: v.pipe(v.number(), v.minValue(0), v.maxValue(1)),
  risk_factors: v.optional(v.array(v.string()), []),
  approval_status: v.picklist(APPROVAL_STATUSES),
  approval_reason: v.optional(v.string()),
  target_paths: v.optional(v.array(v.string()), []),
  command: v.optional(v.string()),
  /** The registered action handler that would execute this action, if any. */
  handler: v.optional(v.string()),
  /** That handler's declared effects. */
  effects: v.optional(v.array(v.picklist(EFFECTS))),
  estimated_cost: v.optional(EstimatedCost),
  dependencies: v.optional(v.array(v.string()), []),
  rollback_strategy: v.optional(v.string()),
});

export const PlanSummary = v.strictObject({
  total_actions: NonNegativeInt,
  auto_approved_actions: NonNegativeInt,
  requires_approval_actions: NonNegativeInt,
  blocked_actions: NonNegativeInt,
  total_estimated_tokens: v.optional(NonNegativeInt),
  total_estimated_time_seconds: v.optional(NonNegativeInt),
});

export const ProtectedPathCheck = v.strictObject({
  path: v.string(),
  is_protected: v.boolean(),
  action_id: v.string(),
});

export const BudgetCompliance = v.strictObject({
  within_global_cap: v.boolean(),
  within_per_call_cap: v.boolean(),
  /** A percent, 0–100, of the global token cap. */
  estimated_usage_pct: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(100))),
});

export const GovernanceChecks = v.strictObject({
  default_deny_applied: v.boolean(),
  never_auto_approve_violations: v.optional(v.array(v.string()), []),
  protected_path_checks: v.optional(v.array(ProtectedPathCheck), []),
  budget_compliance: v.optional(BudgetCompliance),
  /** What governance could not check or does not enforce (truncated evidence, prose entries, rules that never match). */
  notes: v.optional(v.array(v.string())),
});

export const PlanMetadata = v.strictObject({
  proposer_version: v.optional(v.string()),
  generation_duration_ms: v.optional(NonNegativeInt),
});

export const PlanProposalV1 = v.strictObject({
  format_version: v.literal('v1'),
  project_id: NonEmptyString,
  run_id: NonEmptyString,
  proposal_id: v.optional(v.pipe(v.string(), v.regex(/^plan-[a-f0-9]{12}$/))),
  generated_at: DateTime,
  anchor_id: v.string(),
  gap_report_id: v.string(),
  /** True when a gap of the report blocks autopilot. */
  autopilot_blocked: v.optional(v.boolean()),
  actions: v.array(Action),
  summary: v.optional(PlanSummary),
  governance_checks: v.optional(GovernanceChecks),
  metadata: v.optional(PlanMetadata),
});

export type PlanProposalV1 = v.InferOutput<typeof PlanProposalV1>;
export type Action = v.InferOutput<typeof Action>;
