import * as v from 'valibot';
import { EFFECTS, RISK_LEVELS } from '../contracts/common.ts';
import { GAP_TYPE_PATTERN } from '../contracts/gap-report.ts';
import { ACTION_TYPES } from '../contracts/plan-proposal.ts';

const SnakeId = v.pipe(v.string(), v.regex(GAP_TYPE_PATTERN));

const MessageShape = v.strictObject({
  title: v.string(),
  description: v.string(),
  signals: v.array(v.string()),
  remediation: v.string(),
  risk: v.optional(v.picklist(RISK_LEVELS)),
  blocks_autopilot: v.optional(v.boolean()),
});

const isValibotSchema = (value: unknown) =>
  value !== null && typeof value === 'object' && (value as { kind?: unknown }).kind === 'schema';

/** The shape a detector plugin must export (DESIGN §5). */
export const DetectorShape = v.strictObject({
  id: SnakeId,
  gap_type: v.pipe(
    SnakeId,
    v.check((type) => type !== 'unknown', "'unknown' is reserved for detector failures"),
  ),
  title: v.pipe(v.string(), v.minLength(1)),
  description: v.string(),
  scope: v.picklist(['repo', 'files']),
  default: v.strictObject({ risk: v.picklist(RISK_LEVELS), blocks_autopilot: v.boolean() }),
  messages: v.pipe(
    v.record(v.string(), MessageShape),
    v.check((messages) => Object.keys(messages).length > 0, 'declares no messages'),
  ),
  options: v.optional(v.custom(isValibotSchema, 'must be a valibot schema')),
  accepts_checks: v.optional(v.boolean()),
  isEnabled: v.optional(v.function()),
  detect: v.function(),
});

/** The shape an action handler plugin must export (DESIGN §5). */
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
