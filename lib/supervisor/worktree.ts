import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { Git } from '../git/git.ts';
import { AutopackError } from '../util/errors.ts';
import { sha256Hex } from '../util/hash.ts';

// Creation lives in its own module; re-exported here, where the public API has always found it.
export { createWorktree, type CreatedWorktree } from './worktree-create.ts';

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
  const result = await gitWithRetry(git, ['worktree', 'list', '--porcelain']);
  if (!result.ok) return [];
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

/**
 * Transient failures of concurrent git: one of git's lock files held by another process, or
 * (git reading every worktree's admin folder, as `worktree add`, `remove` and `list` do) the
 * folder of a worktree another process is registering at that very moment, not complete yet.
 */
const TRANSIENT = /\.lock'?: File exists|could not lock|Unable to create .*\.lock|cannot lock ref|failed to read .*\/worktrees\//i;

/** Runs git, retrying with jittered backoff while a failure is one of concurrency (above). */
export async function gitWithRetry(git: Git, args: string[], attempts = 8): Promise<{ ok: true; stdout: string } | { ok: false; message: string }> {
  let message = '';
  for (let attempt = 0; attempt < attempts; attempt++) {
    const result = await git.run(args, { timeoutMs: 300_000 });
    if (result.exit_code === 0) return { ok: true, stdout: result.stdout };
    message = (result.error ?? result.stderr).trim();
    if (!TRANSIENT.test(message)) break;
    await new Promise((done) => setTimeout(done, 10 * 2 ** attempt + Math.random() * 10));
  }
  return { ok: false, message };
}

// Registering a worktree (`worktree add` creates its admin folder) and pruning go one at a
// time per repository within this process: git reads every admin folder while it registers
// one, and fails on another that is half made. Checkouts, commands and removals run in parallel.
const registrations = new Map<string, Promise<unknown>>();

export function oneRegistrationAtATime<T>(git: Git, task: () => Promise<T>): Promise<T> {
  const previous = registrations.get(git.root) ?? Promise.resolve();
  const next = previous.catch(() => {}).then(task);
  registrations.set(git.root, next);
  return next.finally(() => {
    if (registrations.get(git.root) === next) registrations.delete(git.root);
  });
}

/**
 * Settles when the registrations queued so far are done. Checkouts wait for it, so that a batch
 * of runs starting together registers first, quickly and uncontended, and then checks out in
 * parallel (rather than each registration waiting behind the checkouts started before it).
 */
export function registrationsSettled(git: Git): Promise<void> {
  return (registrations.get(git.root) ?? Promise.resolve()).then(
    () => {},
    () => {},
  );
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
    if (removed.ok) return { removed: true };
    if (!options.force) return { removed: false, refusal: removed.message };
    await rm(path, { recursive: true, force: true });
  }
  // Only when git could not remove it (or the folder was gone): drop git's record of it.
  await oneRegistrationAtATime(git, () => gitWithRetry(git, ['worktree', 'prune']));
  return { removed: true };
}

/**
 * Deletes the run's branch only when that loses no commit: its tip (`tip`, when the caller
 * knows it) is on another ref. Compare-and-delete: a branch that moved meanwhile stays.
 */
export async function deleteBranchIfEmpty(git: Git, branch: string, tip?: string): Promise<boolean> {
  let commit = tip;
  if (!commit) {
    const found = await git.run(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`]);
    if (found.exit_code !== 0) return false;
    commit = found.stdout.trim();
  }
  const own = await git.run(['rev-list', '--count', commit, '--not', `--exclude=refs/heads/${branch}`, '--glob=refs/*']);
  if (own.exit_code !== 0 || own.stdout.trim() !== '0') return false;
  return (await git.run(['update-ref', '-d', `refs/heads/${branch}`, commit])).exit_code === 0;
}
