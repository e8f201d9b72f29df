import * as v from 'valibot';
import { EFFECTS, RISK_LEVELS } from '../contracts/common.ts';
import { GAP_TYPE_PATTERN } from '../contracts/gap-report.ts';
import { ACTION_TYPES } from '../contracts/plan-proposal.ts';

const SnakeId = v.pipe(v.string(), v.regex(GAP_TYPE_PATTERN));

const ParamName = v.pipe(v.string(), v.regex(/^[a-z_][a-z0-9_]*$/i, 'a placeholder name is letters, digits and _'));

const MessageShape = v.strictObject({
  title: v.pipe(v.string(), v.minLength(1)),
  params: v.optional(
    v.pipe(
      v.array(ParamName),
      v.check((names) => new Set(names).size === names.length, 'lists a param twice'),
    ),
  ),
  description: v.optional(v.string()),
  signals: v.optional(v.array(v.string())),
  remediation: v.optional(v.string()),
  risk: v.optional(v.picklist(RISK_LEVELS)),
  blocks_autopilot: v.optional(v.boolean()),
});

const RemediationShape = v.strictObject({
  action_type: v.picklist(ACTION_TYPES),
  title: v.pipe(v.string(), v.minLength(1)),
  description: v.string(),
  risk_score: v.pipe(v.number(), v.minValue(0), v.maxValue(1)),
  risk_factors: v.optional(v.array(v.string())),
  cost: v.optional(
    v.strictObject({
      tokens: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
      time_seconds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
    }),
  ),
  messages: v.optional(v.array(v.string())),
  command: v.optional(v.function()),
  rollback: v.optional(v.function()),
});

const InspectorShape = v.strictObject({ select: v.function(), read: v.function(), inspect: v.function() });

const isValibotSchema = (value: unknown) =>
  value !== null && typeof value === 'object' && (value as { kind?: unknown }).kind === 'schema';

/** The shape a detector plugin must export; everything but `id`, `title` and `detect` has a default. */
export const DetectorShape = v.strictObject({
  id: SnakeId,
  gap_type: v.optional(
    v.pipe(
      SnakeId,
      v.check((type) => type !== 'unknown', "'unknown' is reserved for detector failures"),
    ),
  ),
  title: v.pipe(v.string(), v.minLength(1)),
  description: v.optional(v.string()),
  scope: v.optional(v.picklist(['repo', 'files'])),
  partial: v.optional(v.boolean()),
  default: v.optional(v.strictObject({ risk: v.optional(v.picklist(RISK_LEVELS)), blocks_autopilot: v.optional(v.boolean()) })),
  messages: v.optional(
    v.pipe(
      v.record(SnakeId, MessageShape),
      v.check((messages) => Object.keys(messages).length > 0, 'declares no messages (leave `messages` out to use the title)'),
    ),
  ),
  options: v.optional(v.custom(isValibotSchema, 'must be a valibot schema')),
  accepts_checks: v.optional(v.boolean()),
  defaultChecks: v.optional(v.function()),
  remediation: v.optional(v.array(RemediationShape)),
  inspect: v.optional(InspectorShape),
  isEnabled: v.optional(v.function()),
  detect: v.function(),
});

/** The shape an action handler plugin must export. */
export const ActionShape = v.strictObject({
  id: SnakeId,
  title: v.pipe(v.string(), v.minLength(1)),
  description: v.string(),
  action_types: v.pipe(v.array(v.picklist(ACTION_TYPES)), v.minLength(1)),
  effects: v.pipe(v.array(v.picklist(EFFECTS)), v.minLength(1)),
  verifies: v.optional(v.array(v.union([v.literal('*'), SnakeId]))),
  run: v.function(),
});

export function pluginKind(value: unknown): 'detector' | 'action' | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if ('detect' in value || 'gap_type' in value) return 'detector';
  if ('run' in value || 'action_types' in value || 'effects' in value) return 'action';
  return undefined;
}
