import * as v from 'valibot';
import { DateTime, NonEmptyString, NonNegativeInt } from './common.ts';
import { CommandEvidence } from './gap-report.ts';

export const SESSION_STATUSES = ['running', 'completed', 'blocked_approval_required', 'failed', 'aborted'] as const;

export const ExecutionSummary = v.strictObject({
  total_actions: v.optional(NonNegativeInt, 0),
  auto_approved_actions: v.optional(NonNegativeInt, 0),
  executed_actions: v.optional(NonNegativeInt, 0),
  successful_actions: v.optional(NonNegativeInt, 0),
  failed_actions: v.optional(NonNegativeInt, 0),
  blocked_actions: v.optional(NonNegativeInt, 0),
});

export const ApprovalRequest = v.strictObject({
  action_id: v.string(),
  approval_status: v.picklist(['requires_approval', 'blocked']),
  reason: v.string(),
});

export const ErrorLogEntry = v.strictObject({
  timestamp: DateTime,
  action_id: v.optional(v.string()),
  error_type: v.string(),
  error_message: v.string(),
});

/** What one executed action did (autopack's addition: the Python session recorded only ids). */
export const ActionResult = v.strictObject({
  action_id: v.string(),
  handler: v.string(),
  success: v.boolean(),
  verdict: v.optional(v.picklist(['resolved', 'still_present', 'inconclusive'])),
  summary: v.string(),
  /** The declared effects were checked after the run and held. */
  effects_verified: v.boolean(),
  duration_ms: NonNegativeInt,
  evidence: v.optional(CommandEvidence),
  /** Files written, relative to the run directory. */
  written: v.optional(v.array(v.string())),
});

export const SessionMetadata = v.strictObject({
  autopilot_version: v.optional(v.string()),
  session_duration_ms: v.optional(NonNegativeInt),
  enabled_explicitly: v.optional(v.boolean()),
});

export const AutopilotSessionV1 = v.strictObject({
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
  execution_summary: v.optional(ExecutionSummary),
  executed_action_ids: v.optional(v.array(v.string()), []),
  blocked_reason: v.optional(v.string()),
  approval_requests: v.optional(v.array(ApprovalRequest), []),
  error_log: v.optional(v.array(ErrorLogEntry), []),
  action_results: v.optional(v.array(ActionResult)),
  metadata: v.optional(SessionMetadata),
});

export type AutopilotSessionV1 = v.InferOutput<typeof AutopilotSessionV1>;
export type ActionResult = v.InferOutput<typeof ActionResult>;
