import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as v from 'valibot';
import { ModelsConfig, PricingConfig, type ModelCatalogEntry } from '../contracts/models.ts';
import { formatIssues, issuesToLines } from '../contracts/issues.ts';
import { readStructuredFile } from '../fs/read-structured.ts';
import { relativeInside } from '../fs/run-layout.ts';
import { PACKAGE_ROOT } from '../paths.ts';
import { errorMessage } from '../util/errors.ts';

export const REQUIRED_TIERS = ['haiku', 'sonnet', 'opus'] as const;
export type Tier = (typeof REQUIRED_TIERS)[number];

const per1k = (perMillion: number) => perMillion / 1000;

/**
 * The fallback catalog. The Python tool labelled per-1M prices as per-1k;
 * here they are converted, so one unit (USD per 1000 tokens) holds everywhere.
 */
export const SEED_CATALOG: readonly ModelCatalogEntry[] = [
  { model_id: 'claude-3-5-haiku-20241022', tier: 'haiku', provider: 'anthropic', input_per_1k: per1k(1), output_per_1k: per1k(5), max_tokens: 8192, max_context_chars: 200_000, safety_compatible: true },
  { model_id: 'claude-3-5-sonnet-20241022', tier: 'sonnet', provider: 'anthropic', input_per_1k: per1k(3), output_per_1k: per1k(15), max_tokens: 8192, max_context_chars: 200_000, safety_compatible: true },
  { model_id: 'claude-sonnet-4-5', tier: 'sonnet', provider: 'anthropic', input_per_1k: per1k(3), output_per_1k: per1k(15), max_tokens: 8192, max_context_chars: 200_000, safety_compatible: true },
  { model_id: 'claude-opus-4-20250514', tier: 'opus', provider: 'anthropic', input_per_1k: per1k(15), output_per_1k: per1k(75), max_tokens: 4096, max_context_chars: 200_000, safety_compatible: true },
  { model_id: 'claude-opus-4-5', tier: 'opus', provider: 'anthropic', input_per_1k: per1k(15), output_per_1k: per1k(75), max_tokens: 4096, max_context_chars: 200_000, safety_compatible: true },
];

export interface LoadedCatalog {
  entries: ModelCatalogEntry[];
  source: 'config' | 'seed';
  /** The files read (absolute), when the config was used. */
  files: { models: string; pricing: string };
  /** Why the seed was used instead of the config. */
  warning?: string;
}

/** The workspace's `config/<name>` when present, else the one shipped with autopack. */
export function catalogFile(workspace: string, name: 'models.yaml' | 'pricing.yaml'): string {
  const own = join(workspace, 'config', name);
  return existsSync(own) ? own : join(PACKAGE_ROOT, 'config', name);
}

async function parse<T>(schema: v.GenericSchema<unknown, T>, path: string, display: string, workspace: string): Promise<T> {
  // The workspace's own catalog never leads out of it through a symlink.
  const data = await readStructuredFile(path, display, relativeInside(workspace, path) !== undefined ? { root: workspace } : {});
  const result = v.safeParse(schema, data);
  if (!result.success) throw new Error(`${display}: ${issuesToLines(formatIssues(result.issues)).join('; ')}`);
  return result.output;
}

/**
 * The model catalog from `config/models.yaml` (`model_aliases`: haiku, sonnet and opus are
 * required) and `config/pricing.yaml` (per provider, USD per 1k tokens) — the workspace's files
 * when present, else the shipped ones. On any failure (missing file, YAML error, wrong shape,
 * missing tier or price) the seed catalog, with the reason as `warning`.
 */
export async function loadModelCatalog(workspace: string, cwd = workspace): Promise<LoadedCatalog> {
  const files = { models: catalogFile(workspace, 'models.yaml'), pricing: catalogFile(workspace, 'pricing.yaml') };
  const show = (path: string) => relative(cwd, path) || path;
  try {
    const models = await parse(ModelsConfig, files.models, show(files.models), workspace);
    const pricing = await parse(PricingConfig, files.pricing, show(files.pricing), workspace);
    const entries: ModelCatalogEntry[] = [];
    for (const tier of REQUIRED_TIERS) {
      const modelId = models.model_aliases[tier];
      if (!modelId) throw new Error(`${show(files.models)}: no alias found for tier '${tier}' in model_aliases`);
      const section = (['anthropic', 'openai', 'google'] as const).find((provider) => pricing[provider]?.[modelId] !== undefined);
      if (!section) throw new Error(`${show(files.pricing)}: no price for ${modelId} (tier ${tier})`);
      const price = pricing[section]![modelId]!;
      entries.push({
        model_id: modelId,
        tier,
        provider: section,
        input_per_1k: price.input_per_1k,
        output_per_1k: price.output_per_1k,
        max_tokens: 8192,
        max_context_chars: 200_000,
        safety_compatible: true,
      });
    }
    return { entries, source: 'config', files };
  } catch (error) {
    return { entries: SEED_CATALOG.map((entry) => ({ ...entry })), source: 'seed', files, warning: `model catalog from config unavailable (${errorMessage(error)}); using the seed catalog` };
  }
}
