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
  /** Git's reason for the lock; `initializing` while `git worktree add` has not finished. */
  lockReason?: string;
  prunable: boolean;
}

/** `<runs>/workspaces/<run_id>`: where each run's worktree lives. */
export function worktreePath(runsDir: string, runId: string): string {
  return join(runsDir, 'workspaces', runId);
}

/** `<runs>/.workspace_leases/workspace_<sha256(abs path)[:16]>.lock`. */
export function leasePath(runsDir: string, worktree: string): string {
  return join(runsDir, '.workspace_leases', `workspace_${sha256Hex(resolve(worktree)).slice(0, 16)}.lock`);
}

/** `<runs>/.locks/<run_id>.lock`. */
export function runLockPath(runsDir: string, runId: string): string {
  return join(runsDir, '.locks', `${runId}.lock`);
}

export function isInside(base: string, path: string): boolean {
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
    else if (line === 'locked' || line.startsWith('locked ')) {
      current.locked = true;
      if (line.length > 7) current.lockReason = line.slice(7);
    } else if (line.startsWith('prunable')) current.prunable = true;
  }
  return worktrees;
}

const LOCK_CONTENTION = /\.lock'?: File exists|could not lock|Unable to create .*\.lock|cannot lock ref/i;

/** Runs git, retrying with jittered backoff while another process holds one of git's lock files. */
export async function gitWithRetry(git: Git, args: string[], attempts = 8): Promise<{ ok: true } | { ok: false; message: string }> {
  let message = '';
  for (let attempt = 0; attempt < attempts; attempt++) {
    const result = await git.run(args, { timeoutMs: 300_000 });
    if (result.exit_code === 0) return { ok: true };
    message = (result.error ?? result.stderr).trim();
    if (!LOCK_CONTENTION.test(message)) break;
    await new Promise((done) => setTimeout(done, 20 * 2 ** attempt + Math.random() * 20));
  }
  return { ok: false, message };
}

export interface CreatedWorktree {
  /** False when the run continues a branch that already existed. */
  branchCreated: boolean;
}

/**
 * Creates the run's worktree at `path` (below `base`) on its own branch: a new branch from
 * `startPoint`, or the existing branch when there is one and no other worktree has it checked
 * out. Worktrees of one repository are created in parallel: git needs no more serialising
 * than its own lock files give (each worktree has its own index; branch refs are locked one
 * by one), and a lock-file collision is retried.
 */
export async function createWorktree(git: Git, path: string, base: string, branch: string, startPoint: string): Promise<CreatedWorktree> {
  if (!isInside(base, path)) throw new AutopackError(`Refusing to create a worktree at ${path}: it is not below ${base}`);
  const attempt = async (): Promise<CreatedWorktree | string> => {
    const added = await gitWithRetry(git, ['worktree', 'add', '--quiet', '-b', branch, path, startPoint]);
    if (added.ok) return { branchCreated: true };
    if (!/already exists/.test(added.message) || existsSync(path)) return added.message;
    const holder = (await listWorktrees(git)).find((worktree) => worktree.branch === `refs/heads/${branch}`);
    if (holder && !holder.prunable) {
      throw new AutopackError(`Branch ${branch} is checked out in ${holder.path}; a run works only on a branch no other worktree has checked out`, {
        exitCode: 1,
        hint: `switch that worktree to another branch, or pass another --branch-prefix`,
      });
    }
    const continued = await gitWithRetry(git, ['worktree', 'add', '--quiet', path, branch]);
    return continued.ok ? { branchCreated: false } : continued.message;
  };
  let outcome = await attempt();
  // A registration whose folder is gone (deleted by hand) blocks the path and its branch: prune it once.
  if (typeof outcome === 'string' && /missing but (already registered|locked)|already checked out|already registered/.test(outcome)) {
    await gitWithRetry(git, ['worktree', 'prune']);
    outcome = await attempt();
  }
  if (typeof outcome === 'string') throw new Error(`git worktree add failed: ${outcome}`);
  return outcome;
}

/**
 * Removes a worktree under `base` (`<runs>/workspaces`). Without `force`, git itself refuses
 * when the worktree has changes or untracked files: a second guard behind the caller's own
 * inspection, so a file written at the last moment is never lost. With `force` (the operator
 * said --discard-work, or creation never finished) the folder goes whatever it holds.
 * Never touches a path outside `base`. Returns git's refusal, if it refused.
 */
export async function removeWorktree(git: Git, path: string, base: string, options: { force?: boolean } = {}): Promise<{ removed: boolean; refusal?: string }> {
  if (!isInside(base, path)) throw new AutopackError(`Refusing to remove ${path}: it is not below ${base}`);
  if (existsSync(path)) {
    // Twice --force also removes a worktree git still marks as locked (an interrupted `add`).
    const removed = await gitWithRetry(git, ['worktree', 'remove', ...(options.force ? ['--force', '--force'] : []), path]);
    if (!removed.ok) {
      if (!options.force) return { removed: false, refusal: removed.message };
      await rm(path, { recursive: true, force: true });
    }
  }
  await gitWithRetry(git, ['worktree', 'prune']);
  return { removed: true };
}

/**
 * Makes the index of a worktree autopack just created current, once. autopack runs git with
 * optional locks off, so its own `git status` never rewrites the index; right after a checkout
 * every entry is "racily clean" (written in the same second as the index) and each status
 * would read every file again. Git only trusts an entry whose file is older than the index,
 * so the refresh waits for the clock to pass the checkout's second, when `wait` allows.
 */
export async function refreshIndex(git: Git, worktree: string, options: { checkoutEndedAt: number; wait: boolean }): Promise<void> {
  const nextSecond = Math.floor(options.checkoutEndedAt / 1000) * 1000 + 1000;
  if (Date.now() < nextSecond) {
    if (!options.wait) return;
    await new Promise((done) => setTimeout(done, nextSecond - Date.now() + 5));
  }
  await git.run(['-C', worktree, 'update-index', '-q', '--refresh']);
}

/** Deletes the run's branch only when that loses no commit: its tip is on another ref (compare-and-delete). */
export async function deleteBranchIfEmpty(git: Git, branch: string): Promise<boolean> {
  const tip = await git.run(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`]);
  if (tip.exit_code !== 0) return false;
  const own = await git.run(['rev-list', '--count', tip.stdout.trim(), '--not', `--exclude=refs/heads/${branch}`, '--glob=refs/*']);
  if (own.exit_code !== 0 || own.stdout.trim() !== '0') return false;
  return (await git.run(['update-ref', '-d', `refs/heads/${branch}`, tip.stdout.trim()])).exit_code === 0;
}
