import { lstat, readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { listLeftoverTempFiles } from '../fs/atomic-write.ts';
import type { Git } from '../git/git.ts';
import { describeHolder, inspectLock, readLock, removeIfStale, staleReason } from './lock-file.ts';
import { findProcessesInside, stopProcessesInside } from './process-sweep.ts';
import { describeWork, inspectWork } from './work-state.ts';
import { leasePath, listWorktrees, removeWorktree, runLockPath } from './worktree.ts';

export interface GcItem {
  kind: 'run_lock' | 'workspace_lease' | 'worktree' | 'leftover' | 'temp_file';
  path: string;
  /** Why it can go; absent while it is in use or holds work. */
  stale?: string;
  /** Who holds it, while it is in use. */
  holder?: string;
  /** What a worktree holds that removing it would lose: such a worktree is never removed. */
  work?: string;
  /** Something in autopack's folders it did not make (a symlink, a file): never read through, stopped in or removed. */
  foreign?: string;
  /** Processes still running inside a worktree (stopped before it is removed). */
  processes?: number[];
  removed?: boolean;
}

/** A lock-folder file that is not a lock: a temp or reclaimed file, or a reclaim guard. Young ones may be in flight. */
const LEFTOVER_AGE_MS = 60_000;

async function names(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [] as string[])).sort();
}

/** What lies at `path` when it is not a real folder (a link leads out of the runs dir; a file is no worktree); undefined for a folder or nothing. */
async function notAFolder(path: string): Promise<string | undefined> {
  const info = await lstat(path).catch(() => undefined);
  if (!info || info.isDirectory()) return undefined;
  return info.isSymbolicLink() ? 'a symlink autopack did not make: nothing is read, stopped or removed through it' : 'a file autopack did not make';
}

async function lockItems(runsDir: string, execute: boolean, now: Date): Promise<GcItem[]> {
  const items: GcItem[] = [];
  for (const [folder, kind] of [['.locks', 'run_lock'], ['.workspace_leases', 'workspace_lease']] as const) {
    const dir = join(runsDir, folder);
    const odd = await notAFolder(dir);
    if (odd) {
      items.push({ kind: 'leftover', path: dir, foreign: odd });
      continue;
    }
    for (const name of await names(dir)) {
      const path = join(dir, name);
      if (!name.endsWith('.lock')) {
        const guard = name.endsWith('.reclaim') ? await readLock(path) : undefined;
        const info = await stat(path).catch(() => undefined);
        const old = guard ? staleReason(guard, now) !== undefined : (info ? now.getTime() - info.mtimeMs > LEFTOVER_AGE_MS : true);
        if (!old) continue;
        items.push({ kind: 'leftover', path, stale: 'not a lock file', ...(execute ? { removed: await unlink(path).then(() => true, () => false) } : {}) });
        continue;
      }
      const found = await inspectLock(path, now);
      if (!found) continue;
      if (!found.stale) items.push({ kind, path, holder: describeHolder(found.body) });
      else items.push({ kind, path, stale: found.stale, ...(execute ? { removed: await removeIfStale(path, now) } : {}) });
    }
  }
  return items;
}

async function worktreeItems(runsDir: string, git: Git, execute: boolean, now: Date): Promise<GcItem[]> {
  const items: GcItem[] = [];
  const base = join(runsDir, 'workspaces');
  const odd = await notAFolder(base);
  if (odd) return [{ kind: 'leftover', path: base, foreign: odd }];
  for (const runId of await names(base)) {
    const path = join(base, runId);
    // Only a real folder can be a worktree autopack made: a link would point gc's process sweep and git elsewhere.
    const notWorktree = await notAFolder(path);
    if (notWorktree) {
      items.push({ kind: 'worktree', path, foreign: notWorktree });
      continue;
    }
    const lease = await inspectLock(leasePath(runsDir, path), now);
    const lock = await inspectLock(runLockPath(runsDir, runId), now);
    if ((lease && !lease.stale) || (lock && !lock.stale)) {
      items.push({ kind: 'worktree', path, holder: describeHolder((lease && !lease.stale ? lease : lock)!.body) });
      continue;
    }
    // Nobody holds it: whatever still runs inside is a leftover of a dead run, and goes first.
    const running = execute ? await stopProcessesInside(path) : findProcessesInside(path);
    const processes = running.length > 0 ? { processes: running.map((p) => p.pid) } : {};
    const state = await inspectWork(git, path);
    if (state.holdsWork) {
      items.push({ kind: 'worktree', path, work: describeWork(state), ...processes });
      continue;
    }
    const item: GcItem = { kind: 'worktree', path, stale: running.length > 0 && !execute ? `no live lease or run lock, no work; ${running.length} process(es) still running inside` : 'no live lease or run lock, no work', ...processes };
    if (execute) {
      const removed = await removeWorktree(git, path, base, { force: state.unfinished });
      item.removed = removed.removed;
      if (!removed.removed) {
        delete item.stale;
        item.work = `git refused to remove it: ${removed.refusal}`;
      }
    }
    items.push(item);
  }
  return items;
}

/**
 * What the runs dir holds: run locks, workspace leases, worktrees, leftovers of lock files and
 * temp files of interrupted atomic writes. A lock or lease is stale when its holder is gone; a
 * worktree when no live lease or run lock protects it and it holds no work (changes, untracked
 * files, commits on no branch). With `execute`, stale items are removed; never a live one, and
 * never a worktree that holds work. Processes left running inside a worktree are stopped first.
 */
export async function collectGarbage(options: {
  runsDir: string;
  git: Git;
  execute: boolean;
  worktreesOnly?: boolean;
  now?: Date;
}): Promise<GcItem[]> {
  const now = options.now ?? new Date();
  const items: GcItem[] = options.worktreesOnly ? [] : await lockItems(options.runsDir, options.execute, now);
  items.push(...(await worktreeItems(options.runsDir, options.git, options.execute, now)));
  if (!options.worktreesOnly) {
    for (const temp of await listLeftoverTempFiles(options.runsDir, { skip: ['workspaces', '.locks', '.workspace_leases'] })) {
      if (temp.live) continue;
      items.push({ kind: 'temp_file', path: temp.path, stale: `an interrupted write of ${temp.target} (pid ${temp.pid} is not running)`, ...(options.execute ? { removed: await unlink(temp.path).then(() => true, () => false) } : {}) });
    }
  }
  if (options.execute) await options.git.run(['worktree', 'prune']);
  else {
    for (const worktree of await listWorktrees(options.git)) {
      if (worktree.prunable) items.push({ kind: 'worktree', path: worktree.path, stale: 'registered with git but missing on disk (git worktree prune)' });
    }
  }
  return items;
}
