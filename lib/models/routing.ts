import type { ModelCatalogEntry, RoutingSnapshotV1 } from '../contracts/models.ts';
import { compareCodePoints } from '../util/sort.ts';
import { REQUIRED_TIERS, SEED_CATALOG, type LoadedCatalog } from './catalog.ts';

export type SafetyProfile = 'normal' | 'strict';

export const SNAPSHOT_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * The model for a tier: in `strict`, only safety-compatible entries; then
 * cheapest (input + output), larger context, larger max_tokens, model id in code-point order.
 */
export function selectBestModelForTier(catalog: readonly ModelCatalogEntry[], tier: string, profile: SafetyProfile = 'normal'): ModelCatalogEntry | undefined {
  return catalog
    .filter((entry) => entry.tier === tier && (profile === 'normal' || entry.safety_compatible))
    .sort(
      (a, b) =>
        a.input_per_1k + a.output_per_1k - (b.input_per_1k + b.output_per_1k) ||
        b.max_context_chars - a.max_context_chars ||
        b.max_tokens - a.max_tokens ||
        compareCodePoints(a.model_id, b.model_id),
    )[0];
}

/** The next tier up when a model is not good enough: haiku → sonnet → opus. */
export function escalateTier(tier: string): string | undefined {
  const index = (REQUIRED_TIERS as readonly string[]).indexOf(tier);
  return index >= 0 ? REQUIRED_TIERS[index + 1] : undefined;
}

/**
 * A routing snapshot: one entry per tier, and where the catalog came from. If the catalog has
 * no eligible entry for a tier (strict profile), the seed catalog is used, and `source` says so.
 */
export function createRoutingSnapshot(catalog: LoadedCatalog, runId: string, profile: SafetyProfile, now: Date): RoutingSnapshotV1 {
  let source = catalog.source;
  let entries = REQUIRED_TIERS.map((tier) => selectBestModelForTier(catalog.entries, tier, profile));
  if (entries.some((entry) => entry === undefined)) {
    source = 'seed';
    entries = REQUIRED_TIERS.map((tier) => selectBestModelForTier(SEED_CATALOG, tier, profile));
  }
  return {
    format_version: 'v1',
    snapshot_id: `catalog-${source}-${runId}`,
    source,
    profile,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + SNAPSHOT_TTL_MS).toISOString(),
    entries: entries.map((entry) => ({ ...entry! })),
  };
}

export function isFresh(snapshot: RoutingSnapshotV1, now: Date): boolean {
  return Date.parse(snapshot.expires_at) > now.getTime();
}
