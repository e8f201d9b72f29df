import { existsSync, readFileSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { Git } from '../git/git.ts';
import { AutopackError } from '../util/errors.ts';
import { gitWithRetry, isInside, listWorktrees, oneRegistrationAtATime, registrationsSettled } from './worktree.ts';

export interface CreatedWorktree {
  /** False when the run continues a branch that already existed. */
  branchCreated: boolean;
}

/**
 * The lock reason git itself writes while `worktree add` checks out. autopack registers its
 * worktrees locked with the same reason and unlocks them once the checkout is complete, so a
 * worktree still locked `initializing` is one whose creation never finished: no run ever
 * started in it, and whatever files it has are git's, not an agent's.
 */
export const UNFINISHED_REASON = 'initializing';

let lockReasonSupported = true;

/** Registers the worktree (no checkout yet), locked until its checkout is complete. */
async function register(git: Git, args: string[]): Promise<{ ok: true } | { ok: false; message: string }> {
  return oneRegistrationAtATime(git, async () => {
    const locked = lockReasonSupported ? ['--lock', '--reason', UNFINISHED_REASON] : [];
    const result = await gitWithRetry(git, ['worktree', 'add', '--quiet', '--no-checkout', ...locked, ...args]);
    if (!result.ok && lockReasonSupported && /unknown option|usage: git worktree/.test(result.message)) {
      lockReasonSupported = false; // git before 2.35: no --reason
      return gitWithRetry(git, ['worktree', 'add', '--quiet', '--no-checkout', ...args]);
    }
    return result;
  });
}

/** The worktree's admin folder in the repository, from the `gitdir:` line of its `.git` file. */
export function adminDir(path: string): string | undefined {
  try {
    const line = /^gitdir: (.*)$/m.exec(readFileSync(join(path, '.git'), 'utf8'))?.[1]?.trim();
    return line ? (isAbsolute(line) ? line : resolve(path, line)) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Creates the run's worktree at `path` (below `base`) on its own branch: a new branch from
 * `startPoint`, or the existing branch when there is one and no other worktree has it checked
 * out. Only the registration is serialised (see oneRegistrationAtATime); the checkout, the
 * costly part, runs in parallel with every other worktree's.
 */
export async function createWorktree(git: Git, path: string, base: string, branch: string, startPoint: string): Promise<CreatedWorktree> {
  const created = await registerWorktree(git, path, base, branch, startPoint);
  await checkOutWorktree(git, path, branch);
  return created;
}

/** The first half of createWorktree: the folder exists, on its branch, still empty and locked `initializing`. */
export async function registerWorktree(git: Git, path: string, base: string, branch: string, startPoint: string): Promise<CreatedWorktree> {
  if (!isInside(base, path)) throw new AutopackError(`Refusing to create a worktree at ${path}: it is not below ${base}`);
  const attempt = async (): Promise<CreatedWorktree | string> => {
    const added = await register(git, ['-b', branch, path, startPoint]);
    if (added.ok) return { branchCreated: true };
    if (!/already exists/.test(added.message) || existsSync(path)) return added.message;
    const holder = (await listWorktrees(git)).find((worktree) => worktree.branch === `refs/heads/${branch}`);
    if (holder && !holder.prunable) {
      throw new AutopackError(`Branch ${branch} is checked out in ${holder.path}; a run works only on a branch no other worktree has checked out`, {
        exitCode: 1,
        hint: 'switch that worktree to another branch, or pass another --branch-prefix',
      });
    }
    const continued = await register(git, [path, branch]);
    return continued.ok ? { branchCreated: false } : continued.message;
  };
  let outcome = await attempt();
  // A registration whose folder is gone (deleted by hand) blocks the path and its branch: prune it once.
  if (typeof outcome === 'string' && /missing but (already registered|locked)|already checked out|already registered/.test(outcome)) {
    await oneRegistrationAtATime(git, () => gitWithRetry(git, ['worktree', 'prune']));
    outcome = await attempt();
  }
  if (typeof outcome === 'string') throw new Error(`git worktree add failed: ${outcome}`);
  return outcome;
}

/** The second half: the files of the branch, then the lock taken off (the worktree is complete). */
export async function checkOutWorktree(git: Git, path: string, branch: string): Promise<void> {
  await registrationsSettled(git);
  const checkout = await gitWithRetry(git, ['-C', path, 'reset', '--hard', '--quiet', '--no-recurse-submodules']);
  if (!checkout.ok) throw new Error(`checking out ${branch} in ${path} failed: ${checkout.message}`);
  const admin = adminDir(path);
  if (admin && lockReasonSupported) await unlink(join(admin, 'locked')).catch(() => {});
}
