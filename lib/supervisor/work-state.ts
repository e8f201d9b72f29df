import { existsSync, readdirSync, realpathSync } from 'node:fs';
import type { Git } from '../git/git.ts';
import { listWorktrees, type WorktreeInfo } from './worktree.ts';
import { adminDir, UNFINISHED_REASON } from './worktree-create.ts';

/** How many dirty paths a result or a message names; the count is always complete. */
export const DIRTY_PATHS_SHOWN = 10;

/**
 * What a worktree holds that removing it would lose. Work is: changes to tracked files,
 * untracked files (ignored ones are not work), and commits that no ref reaches (a detached
 * HEAD's own commits). Commits on a branch are not: the branch outlives the worktree.
 */
export interface WorkState {
  exists: boolean;
  /** Git's `add` never finished (it left `locked initializing`): no run ever started there. */
  unfinished: boolean;
  head?: string;
  /** The branch checked out there (short name), unless HEAD is detached. */
  branch?: string;
  dirty: { count: number; paths: string[] };
  unreferencedCommits: number;
  /** Set when git could not tell: such a worktree is treated as holding work. */
  uninspectable?: string;
  holdsWork: boolean;
}

const samePath = (a: string, b: string) => a === b || real(a) === real(b);
function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * Parses `git status --porcelain=v2 --branch -z`: the HEAD commit and branch from the headers,
 * and every changed, unmerged or untracked path (a rename's original path is skipped).
 */
export function parseStatusV2(stdout: string): { head?: string; branch?: string; paths: string[] } {
  const parts = stdout.split('\0');
  const out: { head?: string; branch?: string; paths: string[] } = { paths: [] };
  // Fields before the path: 1 XY sub mH mI mW hH hI path; 2 … X<score> path; u … h1 h2 h3 path; ? path.
  const fieldsBefore: Record<string, number> = { '1': 8, '2': 9, u: 10, '?': 1 };
  for (let i = 0; i < parts.length; i++) {
    const entry = parts[i]!;
    if (entry.startsWith('# branch.oid ')) {
      const oid = entry.slice(13);
      if (/^[0-9a-f]{40,64}$/.test(oid)) out.head = oid;
    } else if (entry.startsWith('# branch.head ')) {
      const name = entry.slice(14);
      if (name !== '(detached)') out.branch = name;
    } else if (fieldsBefore[entry[0]!] !== undefined) {
      out.paths.push(entry.split(' ').slice(fieldsBefore[entry[0]!]).join(' '));
      if (entry[0] === '2') i++;
    }
  }
  return out;
}

/** One sentence for messages: `2 changed or untracked files (a.txt, NEW_WORK.md)`, `1 commit on no branch`. */
export function describeWork(state: WorkState): string {
  if (state.uninspectable) return `it could not be inspected (${state.uninspectable})`;
  const parts: string[] = [];
  if (state.dirty.count > 0) {
    const more = state.dirty.count > state.dirty.paths.length ? ', …' : '';
    parts.push(`${state.dirty.count} changed or untracked file${state.dirty.count === 1 ? '' : 's'} (${state.dirty.paths.join(', ')}${more})`);
  }
  if (state.unreferencedCommits > 0) parts.push(`${state.unreferencedCommits} commit${state.unreferencedCommits === 1 ? '' : 's'} on no branch`);
  return parts.join(' and ') || 'no work';
}

/**
 * Inspects the worktree at `path` of the repository `git` runs in. A folder that is not one
 * of its worktrees holds work when it holds anything at all: autopack cannot tell what it is.
 * `ours`: a worktree this process created and unlocked, still linked to its admin folder,
 * needs no look at git's list of worktrees.
 */
export async function inspectWork(git: Git, path: string, options: { known?: WorktreeInfo[]; ours?: boolean } = {}): Promise<WorkState> {
  const none = { dirty: { count: 0, paths: [] }, unreferencedCommits: 0 };
  if (!existsSync(path)) return { exists: false, unfinished: false, holdsWork: false, ...none };
  const linked = options.ours && existsSync(adminDir(path) ?? '/nonexistent/');
  const info = linked ? undefined : (options.known ?? (await listWorktrees(git))).find((worktree) => samePath(worktree.path, path));
  if (!linked && !info) {
    let entries: string[] = [];
    try {
      entries = readdirSync(path);
    } catch (error) {
      return { exists: true, unfinished: false, holdsWork: true, ...none, uninspectable: (error as Error).message };
    }
    if (entries.length === 0) return { exists: true, unfinished: false, holdsWork: false, ...none };
    const shown = entries.sort().slice(0, DIRTY_PATHS_SHOWN);
    return { exists: true, unfinished: false, holdsWork: true, ...none, dirty: { count: entries.length, paths: shown }, uninspectable: 'not a worktree of this repository' };
  }
  if (info?.locked && info.lockReason === UNFINISHED_REASON) {
    return { exists: true, ...(info.head ? { head: info.head } : {}), unfinished: true, holdsWork: false, ...none };
  }
  const status = await git.run(['-C', path, 'status', '--porcelain=v2', '--branch', '-z', '--untracked-files=all', '--ignore-submodules=none']);
  if (status.exit_code !== 0) return { exists: true, unfinished: false, holdsWork: true, ...none, uninspectable: (status.error ?? status.stderr).trim() || `git status exited ${status.exit_code}` };
  const parsed = parseStatusV2(status.stdout);
  const base = { exists: true, ...(parsed.head ? { head: parsed.head } : {}), ...(parsed.branch ? { branch: parsed.branch } : {}) };
  const dirtyPaths = parsed.paths.sort();
  const dirty = { count: dirtyPaths.length, paths: dirtyPaths.slice(0, DIRTY_PATHS_SHOWN) };
  let unreferencedCommits = 0;
  if (parsed.head && !parsed.branch) {
    // `--all` would count this worktree's own HEAD as a ref: name the refs instead.
    const count = await git.run(['rev-list', '--count', parsed.head, '--not', '--glob=refs/*']);
    if (count.exit_code !== 0) return { ...base, unfinished: false, holdsWork: true, dirty, unreferencedCommits: 0, uninspectable: count.stderr.trim() || 'git rev-list failed' };
    unreferencedCommits = Number(count.stdout.trim());
  }
  return { ...base, unfinished: false, dirty, unreferencedCommits, holdsWork: dirty.count > 0 || unreferencedCommits > 0 };
}

/** Commits on `head` that `base` does not have. */
export async function commitsAhead(git: Git, base: string, head: string): Promise<number | undefined> {
  if (base === head) return 0;
  const count = await git.run(['rev-list', '--count', `${base}..${head}`]);
  return count.exit_code === 0 ? Number(count.stdout.trim()) : undefined;
}
