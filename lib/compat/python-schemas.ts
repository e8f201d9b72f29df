// The artifacts as the Python tool (hshk99/Autopack) declares them, for `--compat python`.
// Its pydantic models forbid unknown fields at every level and serialise fields in declaration
// order, dropping `None` values but keeping defaults (empty lists, `requires_approval: true`),
// so the entries below are in that order, and a field with a default is required here: a
// compat artifact carries it, exactly as the Python tool's own dump would. Its loaders also
// run its JSON Schemas first, which add a few bounds (non-empty ids, the digest pattern, the
// 200-character excerpt preview): those are here too.
import * as v from 'valibot';
import { DateTime, HexDigest, NonEmptyString, NonNegativeInt, RISK_LEVELS } from '../contracts/common.ts';

/** The ten gap types of the Python scanner and `unknown`: its enum accepts nothing else. */
export const PYTHON_GAP_TYPES = [
  'doc_drift',
  'root_clutter',
  'sot_duplicate',
  'test_infra_drift',
  'memory_budget_cap_issue',
  'windows_encoding_issue',
  'baseline_policy_drift',
  'protected_path_violation',
  'db_lock_contention',
  'git_state_corruption',
  'unknown',
] as const;

/** The Python action types: autopack's without `verify`. */
export const PYTHON_ACTION_TYPES = [
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
] as const;

const APPROVAL_STATUSES = ['auto_approved', 'requires_approval', 'blocked'] as const;
const SESSION_STATUSES = ['running', 'completed', 'blocked_approval_required', 'failed', 'aborted'] as const;

const Int = v.pipe(v.number(), v.integer());
const Bounded = (max: number) => v.pipe(v.string(), v.maxLength(max));

// GapReportV1

export const PythonCommandEvidence = v.strictObject({
  command: v.string(),
  exit_code: Int,
  stdout_hash: v.string(),
  stderr_excerpt: v.string(),
});

export const PythonGapExcerpt = v.strictObject({
  source: v.string(),
  content_hash: v.optional(v.string()),
  preview: v.optional(Bounded(200)),
});

export const PythonGapEvidence = v.strictObject({
  file_paths: v.array(v.string()),
  test_names: v.array(v.string()),
  excerpts: v.array(PythonGapExcerpt),
  command_evidence: v.optional(PythonCommandEvidence),
});

export const PythonSafeRemediation = v.strictObject({
  approach: v.optional(v.string()),
  requires_approval: v.boolean(),
  estimated_actions: v.optional(NonNegativeInt),
});

export const PythonGap = v.strictObject({
  gap_id: v.string(),
  gap_type: v.picklist(PYTHON_GAP_TYPES),
  title: v.optional(v.string()),
  description: v.optional(v.string()),
  detection_signals: v.array(v.string()),
  evidence: v.optional(PythonGapEvidence),
  risk_classification: v.picklist(RISK_LEVELS),
  blocks_autopilot: v.boolean(),
  safe_remediation: v.optional(PythonSafeRemediation),
});

export const PythonGapSummary = v.strictObject({
  total_gaps: NonNegativeInt,
  critical_gaps: NonNegativeInt,
  high_gaps: NonNegativeInt,
  medium_gaps: NonNegativeInt,
  low_gaps: NonNegativeInt,
  autopilot_blockers: NonNegativeInt,
});

export const PythonGapReportV1 = v.strictObject({
  format_version: v.literal('v1'),
  project_id: NonEmptyString,
  run_id: NonEmptyString,
  generated_at: DateTime,
  workspace_state_digest: v.optional(HexDigest),
  gaps: v.array(PythonGap),
  summary: v.optional(PythonGapSummary),
  metadata: v.optional(v.strictObject({ scanner_version: v.optional(v.string()), scan_duration_ms: v.optional(NonNegativeInt) })),
});

// PlanProposalV1

export const PythonAction = v.strictObject({
  action_id: v.string(),
  action_type: v.picklist(PYTHON_ACTION_TYPES),
  title: v.optional(v.string()),
  description: v.optional(v.string()),
  target_gap_ids: v.array(v.string()),
  risk_score: v.pipe(v.number(), v.minValue(0), v.maxValue(1)),
  risk_factors: v.array(v.string()),
  approval_status: v.picklist(APPROVAL_STATUSES),
  approval_reason: v.optional(v.string()),
  target_paths: v.array(v.string()),
  command: v.optional(v.string()),
  estimated_cost: v.optional(
    v.strictObject({ tokens: v.optional(NonNegativeInt), time_seconds: v.optional(NonNegativeInt), api_calls: v.optional(NonNegativeInt) }),
  ),
  dependencies: v.array(v.string()),
  rollback_strategy: v.optional(v.string()),
});

export const PythonPlanSummary = v.strictObject({
  total_actions: NonNegativeInt,
  auto_approved_actions: NonNegativeInt,
  requires_approval_actions: NonNegativeInt,
  blocked_actions: NonNegativeInt,
  total_estimated_tokens: v.optional(NonNegativeInt),
  total_estimated_time_seconds: v.optional(NonNegativeInt),
});

export const PythonGovernanceChecks = v.strictObject({
  default_deny_applied: v.boolean(),
  never_auto_approve_violations: v.array(v.string()),
  protected_path_checks: v.array(v.strictObject({ path: v.string(), is_protected: v.boolean(), action_id: v.string() })),
  budget_compliance: v.optional(
    v.strictObject({
      within_global_cap: v.boolean(),
      within_per_call_cap: v.boolean(),
      /** A fraction 0–1 of the global token cap (the model's bound is 1.0). */
      estimated_usage_pct: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1))),
    }),
  ),
});

export const PythonPlanProposalV1 = v.strictObject({
  format_version: v.literal('v1'),
  project_id: NonEmptyString,
  run_id: NonEmptyString,
  generated_at: DateTime,
  anchor_id: v.string(),
  gap_report_id: v.string(),
  actions: v.array(PythonAction),
  summary: v.optional(PythonPlanSummary),
  governance_checks: v.optional(PythonGovernanceChecks),
  metadata: v.optional(v.strictObject({ proposer_version: v.optional(v.string()), generation_duration_ms: v.optional(NonNegativeInt) })),
});

// AutopilotSessionV1

export const PythonExecutionSummary = v.strictObject({
  total_actions: NonNegativeInt,
  auto_approved_actions: NonNegativeInt,
  executed_actions: NonNegativeInt,
  successful_actions: NonNegativeInt,
  failed_actions: NonNegativeInt,
  blocked_actions: NonNegativeInt,
});

export const PythonAutopilotSessionV1 = v.strictObject({
  format_version: v.literal('v1'),
  project_id: NonEmptyString,
  run_id: NonEmptyString,
  session_id: NonEmptyString,
  started_at: DateTime,
  completed_at: v.optional(DateTime),
  status: v.picklist(SESSION_STATUSES),
  anchor_id: v.string(),
  gap_report_id: v.string(),
  plan_proposal_id: v.string(),
  execution_summary: v.optional(PythonExecutionSummary),
  executed_action_ids: v.array(v.string()),
  blocked_reason: v.optional(v.string()),
  approval_requests: v.array(
    v.strictObject({ action_id: v.string(), approval_status: v.picklist(['requires_approval', 'blocked']), reason: v.string() }),
  ),
  error_log: v.array(
    v.strictObject({ timestamp: DateTime, action_id: v.optional(v.string()), error_type: v.string(), error_message: v.string() }),
  ),
  metadata: v.optional(
    v.strictObject({
      autopilot_version: v.optional(v.string()),
      session_duration_ms: v.optional(NonNegativeInt),
      enabled_explicitly: v.optional(v.boolean()),
    }),
  ),
});

// PhaseProof

export const PythonPhaseProof = v.strictObject({
  proof_id: NonEmptyString,
  run_id: NonEmptyString,
  phase_id: NonEmptyString,
  created_at: DateTime,
  completed_at: DateTime,
  duration_seconds: v.pipe(v.number(), v.minValue(0)),
  changes: v.strictObject({
    files_created: NonNegativeInt,
    files_modified: NonNegativeInt,
    files_deleted: NonNegativeInt,
    key_changes: v.pipe(v.array(Bounded(200)), v.maxLength(10)),
    change_summary: Bounded(500),
  }),
  verification: v.strictObject({
    tests_passed: NonNegativeInt,
    tests_failed: NonNegativeInt,
    probes_executed: v.pipe(v.array(v.string()), v.maxLength(20)),
    contracts_verified: v.pipe(v.array(v.string()), v.maxLength(20)),
    verification_summary: Bounded(500),
  }),
  success: v.boolean(),
  error_summary: v.nullable(Bounded(500)),
  schema_version: v.literal('1.0'),
  metrics_placeholder: v.boolean(),
});

export type PythonGapReportV1 = v.InferOutput<typeof PythonGapReportV1>;
export type PythonGap = v.InferOutput<typeof PythonGap>;
export type PythonGapEvidence = v.InferOutput<typeof PythonGapEvidence>;
export type PythonPlanProposalV1 = v.InferOutput<typeof PythonPlanProposalV1>;
export type PythonAction = v.InferOutput<typeof PythonAction>;
export type PythonAutopilotSessionV1 = v.InferOutput<typeof PythonAutopilotSessionV1>;
export type PythonPhaseProof = v.InferOutput<typeof PythonPhaseProof>;
