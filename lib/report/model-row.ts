import type { ModelCatalogEntry } from '../contracts/models.ts';

/** One catalog entry on one line: tier, model, provider, price per 1k tokens, safety. */
export const modelRow = (entry: ModelCatalogEntry) =>
  `${entry.tier.padEnd(7)} ${entry.model_id.padEnd(28)} ${entry.provider.padEnd(10)} $${entry.input_per_1k}/$${entry.output_per_1k} per 1k  ${entry.safety_compatible ? 'safe' : 'unsafe'}`;
