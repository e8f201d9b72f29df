import { join } from 'node:path';
import * as v from 'valibot';
import { RoutingSnapshotV1 } from '../contracts/models.ts';
import type { Workspace } from '../config/workspace.ts';
import { writeRunJson } from '../fs/run-write.ts';
import { ensureRunsDirExcluded } from '../fs/git-exclude.ts';
import { readStructuredFile } from '../fs/read-structured.ts';
import { RUN_ARTIFACTS } from '../fs/run-layout.ts';
import { loadModelCatalog } from './catalog.ts';
import { createRoutingSnapshot, isFresh, type SafetyProfile } from './routing.ts';

export interface RefreshResult {
  snapshot: RoutingSnapshotV1;
  /** True when the stored snapshot was fresh and reused. */
  reused: boolean;
  /** Why the seed catalog was used, if it was. */
  warning?: string;
  /** Absolute path written (with `write`). */
  written?: string;
}

async function storedSnapshot(path: string): Promise<RoutingSnapshotV1 | undefined> {
  try {
    const parsed = v.safeParse(RoutingSnapshotV1, await readStructuredFile(path));
    return parsed.success ? parsed.output : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The run's model routing snapshot: the stored one while fresh (unless `force`, or for another
 * profile), else a new one from the catalog. Written run-local only with `write`.
 */
export async function refreshRoutingSnapshot(
  workspace: Workspace,
  options: { profile: SafetyProfile; force?: boolean; write?: boolean },
): Promise<RefreshResult> {
  const path = join(workspace.runDir, RUN_ARTIFACTS.routingSnapshot);
  const now = workspace.clock.now();
  const stored = options.force ? undefined : await storedSnapshot(path);
  if (stored && stored.profile === options.profile && isFresh(stored, now)) return { snapshot: stored, reused: true };
  const catalog = await loadModelCatalog(workspace.root, workspace.cwd);
  const snapshot = createRoutingSnapshot(catalog, workspace.runId, options.profile, now);
  const result: RefreshResult = { snapshot, reused: false, ...(catalog.warning ? { warning: catalog.warning } : {}) };
  if (options.write) {
    await ensureRunsDirExcluded(workspace.git, workspace.root, workspace.runsDir);
    await writeRunJson(workspace.runsDir, path, snapshot);
    result.written = path;
  }
  return result;
}
