import * as v from 'valibot';
import { DateTime, NonEmptyString } from './common.ts';

const Cost = v.pipe(v.number(), v.minValue(0));

/** `config/models.yaml`: only `model_aliases` (tier or alias → model id) is read; other sections are ignored. */
export const ModelsConfig = v.looseObject({
  model_aliases: v.record(v.string(), v.string()),
});

export const PriceEntry = v.looseObject({
  input_per_1k: v.optional(Cost, 0),
  output_per_1k: v.optional(Cost, 0),
});

/** `config/pricing.yaml`: USD per 1000 tokens, per provider; other top-level sections are ignored. */
export const PricingConfig = v.looseObject({
  anthropic: v.optional(v.record(v.string(), PriceEntry)),
  openai: v.optional(v.record(v.string(), PriceEntry)),
  google: v.optional(v.record(v.string(), PriceEntry)),
});

export const ModelCatalogEntry = v.strictObject({
  model_id: NonEmptyString,
  tier: NonEmptyString,
  provider: v.string(),
  /** USD per 1000 input tokens (one unit everywhere, seed included). */
  input_per_1k: Cost,
  output_per_1k: Cost,
  max_tokens: v.pipe(v.number(), v.integer(), v.minValue(1)),
  max_context_chars: v.pipe(v.number(), v.integer(), v.minValue(1)),
  safety_compatible: v.boolean(),
});

export const RoutingSnapshotV1 = v.strictObject({
  format_version: v.literal('v1'),
  snapshot_id: NonEmptyString,
  /** Where the catalog came from: the config files, or the built-in seed after a failure. */
  source: v.picklist(['config', 'seed']),
  profile: v.picklist(['normal', 'strict']),
  created_at: DateTime,
  expires_at: DateTime,
  entries: v.array(ModelCatalogEntry),
});

export type ModelCatalogEntry = v.InferOutput<typeof ModelCatalogEntry>;
export type RoutingSnapshotV1 = v.InferOutput<typeof RoutingSnapshotV1>;
