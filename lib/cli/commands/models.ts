import { relative } from 'node:path';
import type { ModelCatalogEntry } from '../../contracts/models.ts';
import { openWorkspace } from '../../config/workspace.ts';
import { toJsonText } from '../../fs/atomic-write.ts';
import { loadModelCatalog } from '../../models/catalog.ts';
import { PACKAGE_ROOT } from '../../paths.ts';
import { refreshRoutingSnapshot } from '../../models/refresh.ts';
import { selectBestModelForTier } from '../../models/routing.ts';
import { clockFromEnv } from '../../util/clock.ts';
import { AutopackError } from '../../util/errors.ts';
import { choiceFlag, stringFlag, workspaceFlags } from '../flags.ts';
import { createCliLogger, type CliIo } from '../io.ts';

async function open(flags: Record<string, unknown>, io: CliIo) {
  return openWorkspace({
    ...workspaceFlags(flags, io),
    clock: clockFromEnv(io.env),
  });
}

const row = (entry: ModelCatalogEntry) =>
  `${entry.tier.padEnd(7)} ${entry.model_id.padEnd(28)} ${entry.provider.padEnd(10)} $${entry.input_per_1k}/$${entry.output_per_1k} per 1k  ${entry.safety_compatible ? 'safe' : 'unsafe'}`;

export async function modelsListCommand(_args: string[], flags: Record<string, unknown>, io: CliIo): Promise<number> {
  const format = choiceFlag(stringFlag(flags.format, '--format'), '--format', ['text', 'json'] as const, 'text');
  const logger = await createCliLogger(io);
  const workspace = await open(flags, io);
  const catalog = await loadModelCatalog(workspace.root, io.cwd);
  if (catalog.warning) logger.warn(catalog.warning);
  const show = (path: string) => (path.startsWith(PACKAGE_ROOT) ? `autopack's ${relative(PACKAGE_ROOT, path)}` : relative(io.cwd, path) || path);
  const files = { models: show(catalog.files.models), pricing: show(catalog.files.pricing) };
  io.stdout(format === 'json' ? toJsonText({ source: catalog.source, files, entries: catalog.entries }) : `${catalog.entries.map(row).join('\n')}\n`);
  logger.info(`catalog source: ${catalog.source}${catalog.source === 'config' ? ` (${files.models}, ${files.pricing})` : ''}`);
  return 0;
}

export async function modelsSelectCommand(_args: string[], flags: Record<string, unknown>, io: CliIo): Promise<number> {
  const format = choiceFlag(stringFlag(flags.format, '--format'), '--format', ['text', 'json'] as const, 'text');
  const tier = stringFlag(flags.tier, '--tier');
  if (!tier) throw new AutopackError('--tier is required (haiku, sonnet or opus)');
  const logger = await createCliLogger(io);
  const workspace = await open(flags, io);
  const catalog = await loadModelCatalog(workspace.root, io.cwd);
  if (catalog.warning) logger.warn(catalog.warning);
  const tiers = [...new Set(catalog.entries.map((entry) => entry.tier))];
  if (!tiers.includes(tier)) throw new AutopackError(`Unknown tier '${tier}' (the catalog has ${tiers.join(', ')})`);
  const profile = flags.strict === true ? 'strict' : 'normal';
  const selected = selectBestModelForTier(catalog.entries, tier, profile);
  if (!selected) {
    logger.error(`No safety-compatible model for tier ${tier}`);
    return 1;
  }
  io.stdout(format === 'json' ? toJsonText({ ...selected, source: catalog.source, profile }) : `${selected.model_id}\n`);
  return 0;
}

export async function modelsRefreshCommand(_args: string[], flags: Record<string, unknown>, io: CliIo): Promise<number> {
  const format = choiceFlag(stringFlag(flags.format, '--format'), '--format', ['json', 'text'] as const, 'json');
  const logger = await createCliLogger(io);
  const workspace = await open(flags, io);
  const result = await refreshRoutingSnapshot(workspace, { profile: flags.strict === true ? 'strict' : 'normal', force: flags.force === true, write: flags.write === true });
  if (result.warning) logger.warn(result.warning);
  const { snapshot } = result;
  io.stdout(format === 'json' ? toJsonText(snapshot) : `${snapshot.entries.map(row).join('\n')}\n${snapshot.snapshot_id} (${snapshot.source}, ${snapshot.profile}), expires ${snapshot.expires_at}\n`);
  if (result.reused) logger.info(`Reusing fresh snapshot ${snapshot.snapshot_id} (expires ${snapshot.expires_at}); --force to rebuild`);
  if (result.written) logger.success(`Wrote routing snapshot: ${relative(io.cwd, result.written) || result.written}`);
  return 0;
}
