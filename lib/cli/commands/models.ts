import { relative } from 'node:path';
import { openWorkspace } from '../../config/workspace.ts';
import { loadModelCatalog } from '../../models/catalog.ts';
import { refreshRoutingSnapshot } from '../../models/refresh.ts';
import { selectBestModelForTier } from '../../models/routing.ts';
import { PACKAGE_ROOT } from '../../paths.ts';
import type { ModelListing } from '../../report/models/text.ts';
import { clockFromEnv } from '../../util/clock.ts';
import { AutopackError } from '../../util/errors.ts';
import type { Flags } from '../commands.ts';
import { str, workspaceFlags } from '../flags.ts';
import { createCliLogger, emit, type CliIo } from '../io.ts';

async function open(flags: Flags, io: CliIo) {
  return openWorkspace({ ...workspaceFlags(flags, io), clock: clockFromEnv(io.env) });
}

export async function modelsListCommand(_args: string[], flags: Flags, io: CliIo): Promise<number> {
  const logger = await createCliLogger(io);
  const workspace = await open(flags, io);
  const catalog = await loadModelCatalog(workspace.root, io.cwd);
  if (catalog.warning) logger.warn(catalog.warning);
  const show = (path: string) => (path.startsWith(PACKAGE_ROOT) ? `autopack's ${relative(PACKAGE_ROOT, path)}` : relative(io.cwd, path) || path);
  const listing: ModelListing = { source: catalog.source, files: { models: show(catalog.files.models), pricing: show(catalog.files.pricing) }, entries: catalog.entries };
  await emit(io, 'models', flags.format, listing);
  logger.info(`catalog source: ${catalog.source}${catalog.source === 'config' ? ` (${listing.files.models}, ${listing.files.pricing})` : ''}`);
  return 0;
}

export async function modelsSelectCommand(_args: string[], flags: Flags, io: CliIo): Promise<number> {
  const tier = str(flags, 'tier');
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
  await emit(io, 'model-selection', flags.format, { ...selected, source: catalog.source, profile });
  return 0;
}

export async function modelsRefreshCommand(_args: string[], flags: Flags, io: CliIo): Promise<number> {
  const logger = await createCliLogger(io);
  const workspace = await open(flags, io);
  const result = await refreshRoutingSnapshot(workspace, { profile: flags.strict === true ? 'strict' : 'normal', force: flags.force === true, write: flags.write === true });
  if (result.warning) logger.warn(result.warning);
  const { snapshot } = result;
  await emit(io, 'routing-snapshot', flags.format, snapshot);
  if (result.reused) logger.info(`Reusing fresh snapshot ${snapshot.snapshot_id} (expires ${snapshot.expires_at}); --force to rebuild`);
  if (result.written) logger.success(`Wrote routing snapshot: ${relative(io.cwd, result.written) || result.written}`);
  return 0;
}
