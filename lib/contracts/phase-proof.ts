import * as v from 'valibot';
import { DateTime, NonEmptyString, NonNegativeInt } from './common.ts';

const bounded = (max: number) => v.pipe(v.string(), v.maxLength(max));

export const PhaseChange = v.strictObject({
  files_created: v.optional(NonNegativeInt, 0),
  files_modified: v.optional(NonNegativeInt, 0),
  files_deleted: v.optional(NonNegativeInt, 0),
  key_changes: v.optional(v.pipe(v.array(bounded(200)), v.maxLength(10)), []),
  change_summary: bounded(500),
});

export const PhaseVerification = v.strictObject({
  tests_passed: v.optional(NonNegativeInt, 0),
  tests_failed: v.optional(NonNegativeInt, 0),
  probes_executed: v.optional(v.pipe(v.array(v.string()), v.maxLength(20)), []),
  contracts_verified: v.optional(v.pipe(v.array(v.string()), v.maxLength(20)), []),
  verification_summary: bounded(500),
});

export const PhaseProof = v.strictObject({
  proof_id: NonEmptyString,
  run_id: NonEmptyString,
  project_id: v.optional(NonEmptyString),
  phase_id: NonEmptyString,
  created_at: DateTime,
  completed_at: DateTime,
  duration_seconds: v.pipe(v.number(), v.minValue(0)),
  changes: PhaseChange,
  verification: PhaseVerification,
  success: v.boolean(),
  error_summary: v.optional(v.nullable(bounded(500))),
  schema_version: v.optional(v.literal('1.0'), '1.0'),
  metrics_placeholder: v.optional(v.boolean(), false),
});

export type PhaseProof = v.InferOutput<typeof PhaseProof>;
