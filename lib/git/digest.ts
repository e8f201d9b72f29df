import { shortSha256 } from '../util/hash.ts';
import { compareCodePoints } from '../util/sort.ts';
import type { GitResult, RepoState } from './git.ts';
import type { StatusResult } from './status.ts';

/** sha256("unknown|git_unavailable")[:16]: the digest when git cannot run at all. */
export const GIT_UNAVAILABLE_SENTINEL = '25a12d1cd3feec8b';

export type GitCommandRunner = (args: readonly string[]) => Promise<GitResult>;

/**
 * The workspace state digest, exactly as the Python tool computes it, so both tools agree:
 * `sha256(head + "|" + status)[:16]` from `git rev-parse HEAD` and `git status --porcelain`,
 * both trimmed, in that order and nothing else. A failing command contributes `unknown` /
 * an empty status; git that cannot run at all (missing, timed out) gives the sentinel.
 * Never a timestamp.
 */
export async function computeWorkspaceDigest(runGit: GitCommandRunner): Promise<string> {
  try {
    let head = 'unknown';
    let status = '';
    const headResult = await runGit(['rev-parse', 'HEAD']);
    if (headResult.error) return GIT_UNAVAILABLE_SENTINEL;
    if (headResult.exit_code === 0) head = headResult.stdout.trim();
    const statusResult = await runGit(['status', '--porcelain']);
    if (statusResult.error) return GIT_UNAVAILABLE_SENTINEL;
    if (statusResult.exit_code === 0) status = statusResult.stdout.trim();
    return shortSha256(`${head}|${status}`, 16);
  } catch {
    return GIT_UNAVAILABLE_SENTINEL;
  }
}

/**
 * The same digest from what a scan already has: HEAD from the repository probe and the text of
 * its one `git status --porcelain`, so the scan runs no extra git process for it.
 */
export function digestFromScan(repo: RepoState, status: StatusResult): string {
  if (!repo.gitAvailable || status.unavailable) return GIT_UNAVAILABLE_SENTINEL;
  return shortSha256(`${repo.head ?? 'unknown'}|${status.text.trim()}`, 16);
}

/**
 * The digest of a staged scan, which judges the index rather than the working tree:
 * `sha256(head + "|staged|" + path:blob lines)[:16]` over the index's changes, sorted, so the
 * same commit-to-be gives the same digest whatever the working tree holds.
 */
export function stagedDigest(repo: RepoState, staged: { blobs?: ReadonlyMap<string, string> }): string {
  if (!repo.gitAvailable) return GIT_UNAVAILABLE_SENTINEL;
  const lines = [...(staged.blobs ?? new Map<string, string>())].map(([path, sha]) => `${path}:${sha}`).sort(compareCodePoints);
  return shortSha256(`${repo.head ?? 'unknown'}|staged|${lines.join('\n')}`, 16);
}
