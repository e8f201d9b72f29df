import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Git } from '../git/git.ts';
import { describeHolder, inspectLock, removeIfStale } from './lock-file.ts';
import { leasePath, listWorktrees, removeWorktree, runLockPath } from './worktree.ts';

export interface GcItem {
  kind: 'run_lock' | 'workspace_lease' | 'worktree' | 'leftover';
  path: string;
  /** Why it can go; absent while it is in use. */
  stale?: string;
  /** Who holds it, while it is in use. */
  holder?: string;
  removed?: boolean;
}

async function names(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [] as string[])).sort();
}

/**
 * What the runs dir holds: run locks, workspace leases, worktrees, and leftovers of interrupted
 * writes. A lock or lease is stale when its holder is gone; a worktree when no live lease and
 * no live run lock protect it. With `execute`, stale items are removed (never a live one).
 */
export async function collectGarbage(options: { runsDir: string; git: Git; execute: boolean; worktreesOnly?: boolean; now?: Date }): Promise<GcItem[]> {
  const now = options.now ?? new Date();
  const items: GcItem[] = [];
  if (!options.worktreesOnly) {
    for (const [folder, kind] of [['.locks', 'run_lock'], ['.workspace_leases', 'workspace_lease']] as const) {
      const dir = join(options.runsDir, folder);
      for (const name of await names(dir)) {
        const path = join(dir, name);
        if (!name.endsWith('.lock')) {
          // A temp or reclaimed file left by a process that died mid-way.
          items.push({ kind: 'leftover', path, stale: 'not a lock file', ...(options.execute ? { removed: await unlink(path).then(() => true, () => false) } : {}) });
          continue;
        }
        const found = await inspectLock(path, now);
        if (!found) continue;
        if (!found.stale) items.push({ kind, path, holder: describeHolder(found.body) });
        else items.push({ kind, path, stale: found.stale, ...(options.execute ? { removed: await removeIfStale(path, now) } : {}) });
      }
    }
  }
  const base = join(options.runsDir, 'workspaces');
  for (const runId of await names(base)) {
    const path = join(base, runId);
    const lease = await inspectLock(leasePath(options.runsDir, path), now);
    const lock = await inspectLock(runLockPath(options.runsDir, runId), now);
    const live = (lease && !lease.stale) || (lock && !lock.stale);
    if (live) {
      items.push({ kind: 'worktree', path, holder: describeHolder((lease && !lease.stale ? lease : lock)!.body) });
      continue;
    }
    const item: GcItem = { kind: 'worktree', path, stale: 'no live lease or run lock' };
    if (options.execute) {
      await removeWorktree(options.git, path, base);
      item.removed = true;
    }
    items.push(item);
  }
  if (options.execute) await options.git.run(['worktree', 'prune']);
  else {
    for (const worktree of await listWorktrees(options.git)) {
      if (worktree.prunable) items.push({ kind: 'worktree', path: worktree.path, stale: 'registered with git but missing on disk (git worktree prune)' });
    }
  }
  return items;
}
