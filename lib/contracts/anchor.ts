import * as v from 'valibot';
import { DateTime, HexDigest, NonEmptyString, NonNegativeInt } from './common.ts';

const strings = () => v.optional(v.array(v.string()), []);

export const NorthStar = v.strictObject({
  desired_outcomes: strings(),
  success_signals: strings(),
  non_goals: strings(),
});

export const SafetyRisk = v.strictObject({
  never_allow: strings(),
  requires_approval: strings(),
  risk_tolerance: v.optional(v.picklist(['minimal', 'low', 'moderate', 'high']), 'low'),
});

export const EvidenceVerification = v.strictObject({
  hard_blocks: strings(),
  required_proofs: strings(),
  verification_gates: strings(),
});

export const ScopeBoundaries = v.strictObject({
  allowed_write_roots: strings(),
  protected_paths: strings(),
  network_allowlist: strings(),
});

export const BudgetCost = v.strictObject({
  token_cap_global: v.optional(NonNegativeInt),
  token_cap_per_call: v.optional(NonNegativeInt),
  time_cap_seconds: v.optional(NonNegativeInt),
  cost_escalation_policy: v.optional(v.picklist(['block', 'warn', 'request_approval']), 'request_approval'),
});

export const MemoryContinuity = v.strictObject({
  persist_to_sot: strings(),
  derived_indexes: strings(),
  retention_rules: v.optional(v.record(v.string(), v.string()), {}),
});

export const AutoApprovalRule = v.strictObject({
  rule_id: v.string(),
  description: v.string(),
  conditions: v.array(v.string()),
});

export const GovernanceReview = v.strictObject({
  default_policy: v.optional(v.picklist(['deny', 'allow']), 'deny'),
  auto_approve_rules: v.optional(v.array(AutoApprovalRule), []),
  approval_channels: strings(),
});

export const ParallelismIsolation = v.strictObject({
  allowed: v.optional(v.boolean(), false),
  isolation_model: v.optional(v.picklist(['four_layer', 'none']), 'none'),
  max_concurrent_runs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 1),
});

/** The eight pivot intention sections, in the reference's fixed order. */
export const PivotIntentions = v.strictObject({
  north_star: v.optional(NorthStar),
  safety_risk: v.optional(SafetyRisk),
  evidence_verification: v.optional(EvidenceVerification),
  scope_boundaries: v.optional(ScopeBoundaries),
  budget_cost: v.optional(BudgetCost),
  memory_continuity: v.optional(MemoryContinuity),
  governance_review: v.optional(GovernanceReview),
  parallelism_isolation: v.optional(ParallelismIsolation),
});

export const AnchorMetadata = v.strictObject({
  author: v.optional(v.string()),
  source: v.optional(v.string()),
  tags: strings(),
});

export const IntentionAnchorV2 = v.strictObject({
  format_version: v.literal('v2'),
  project_id: NonEmptyString,
  created_at: DateTime,
  updated_at: v.optional(DateTime),
  raw_input_digest: HexDigest,
  pivot_intentions: PivotIntentions,
  metadata: v.optional(AnchorMetadata),
});

export type IntentionAnchorV2 = v.InferOutput<typeof IntentionAnchorV2>;
export type PivotIntentions = v.InferOutput<typeof PivotIntentions>;
