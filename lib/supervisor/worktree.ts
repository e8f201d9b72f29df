import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { Git } from '../git/git.ts';
import { AutopackError } from '../util/errors.ts';
import { sha256Hex } from '../util/hash.ts';

export interface WorktreeInfo {
  path: string;
  head?: string;
  branch?: string;
  detached: boolean;
  locked: boolean;
  prunable: boolean;
}

/** `<runs>/workspaces/<run_id>`: where each run's worktree lives. */
export function worktreePath(runsDir: string, runId: string): string {
  return join(runsDir, 'workspaces', runId);
}

/** `<runs>/.workspace_leases/workspace_<sha256(abs path)[:16]>.lock` (reference B §1.3). */
export function leasePath(runsDir: string, worktree: string): string {
  return join(runsDir, '.workspace_leases', `workspace_${sha256Hex(resolve(worktree)).slice(0, 16)}.lock`);
}

/** `<runs>/.locks/<run_id>.lock`. */
export function runLockPath(runsDir: string, runId: string): string {
  return join(runsDir, '.locks', `${runId}.lock`);
}

function isInside(base: string, path: string): boolean {
  const rel = relative(base, path);
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep) && !rel.includes(`..${sep}`);
}

/** Parses `git worktree list --porcelain`: records separated by blank lines. */
export async function listWorktrees(git: Git): Promise<WorktreeInfo[]> {
  const result = await git.run(['worktree', 'list', '--porcelain']);
  if (result.exit_code !== 0) return [];
  const worktrees: WorktreeInfo[] = [];
  let current: WorktreeInfo | undefined;
  for (const line of result.stdout.split('\n')) {
    if (line.startsWith('worktree ')) {
      current = { path: line.slice('worktree '.length), detached: false, locked: false, prunable: false };
      worktrees.push(current);
    } else if (!current) continue;
    else if (line.startsWith('HEAD ')) current.head = line.slice(5);
    else if (line.startsWith('branch ')) current.branch = line.slice(7);
    else if (line === 'detached') current.detached = true;
    else if (line.startsWith('locked')) current.locked = true;
    else if (line.startsWith('prunable')) current.prunable = true;
  }
  return worktrees;
}

// Worktree changes to one repository go one at a time within this process; across processes,
// git's own lock files make a concurrent change fail, and it is retried.
const queues = new Map<string, Promise<unknown>>();

function serialised<T>(key: string, task: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const next = previous.catch(() => {}).then(task);
  queues.set(key, next);
  return next.finally(() => {
    if (queues.get(key) === next) queues.delete(key);
  });
}

const LOCK_CONTENTION = /\.lock|File exists|could not lock|Unable to create|cannot lock/i;

async function withRetry(git: Git, args: string[], attempts = 8): Promise<{ ok: true } | { ok: false; message: string }> {
  let message = '';
  for (let attempt = 0; attempt < attempts; attempt++) {
    const result = await git.run(args, { timeoutMs: 120_000 });
    if (result.exit_code === 0) return { ok: true };
    message = (result.error ?? result.stderr).trim();
    if (!LOCK_CONTENTION.test(message)) break;
    // Backoff with jitter: another process holds one of git's lock files for a moment.
    await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt + Math.random() * 25));
  }
  return { ok: false, message };
}

/**
 * Removes a worktree under `base` (`<runs>/workspaces`): `git worktree remove --force`, and if
 * git cannot, deletes the folder and prunes git's record. Never touches a path outside `base`.
 */
export async function removeWorktree(git: Git, path: string, base: string): Promise<void> {
  if (!isInside(base, path)) throw new AutopackError(`Refusing to remove ${path}: it is not below ${base}`);
  await serialised(git.root, async () => {
    if (existsSync(path)) {
      const removed = await withRetry(git, ['worktree', 'remove', '--force', path]);
      if (!removed.ok) await rm(path, { recursive: true, force: true });
    }
    await withRetry(git, ['worktree', 'prune']);
  });
}

/**
 * Creates a detached worktree of the source repository's HEAD at `path` (below `base`),
 * replacing a leftover one. The caller holds the run lock, so a leftover is a crashed run's.
 */
export async function createWorktree(git: Git, path: string, base: string): Promise<void> {
  if (!isInside(base, path)) throw new AutopackError(`Refusing to create a worktree at ${path}: it is not below ${base}`);
  if (existsSync(path)) await removeWorktree(git, path, base);
  await serialised(git.root, async () => {
    await withRetry(git, ['worktree', 'prune']);
    const added = await withRetry(git, ['worktree', 'add', '--detach', path, 'HEAD']);
    if (!added.ok) throw new Error(`git worktree add failed: ${added.message}`);
  });
}
