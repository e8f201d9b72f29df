import type { Git } from '../git/git.ts';
import { sortedUnique } from '../util/sort.ts';

export interface ProofMetrics {
  files_created: number;
  files_modified: number;
  files_deleted: number;
  created: string[];
  modified: string[];
  deleted: string[];
  /** True when git could not measure anything: the numbers are zeros, not facts. */
  metrics_placeholder: boolean;
}

const PLACEHOLDER: ProofMetrics = { files_created: 0, files_modified: 0, files_deleted: 0, created: [], modified: [], deleted: [], metrics_placeholder: true };

/**
 * What differs from HEAD: each path of `git diff --name-status HEAD` once (staged
 * and unstaged together, never double-counted), new files as created, deleted ones as deleted,
 * and untracked files (not ignored) as created. Placeholder zeros only when git cannot tell.
 */
export async function proofMetrics(git: Git, options: { excludePrefix?: string | undefined } = {}): Promise<ProofMetrics> {
  const state = await git.repoState();
  if (!state.isRepo || !state.hasCommits) return PLACEHOLDER;
  const [diff, untracked] = await Promise.all([
    git.run(['diff', '--relative', '--name-status', '--no-renames', '-z', 'HEAD']),
    git.run(['ls-files', '--others', '--exclude-standard', '-z']),
  ]);
  if (diff.exit_code !== 0 || untracked.exit_code !== 0) return PLACEHOLDER;
  const created: string[] = [];
  const modified: string[] = [];
  const deleted: string[] = [];
  const records = diff.stdout.split('\0');
  for (let i = 0; i + 1 < records.length; i += 2) {
    const status = records[i]!;
    const path = records[i + 1]!;
    if (status.startsWith('A')) created.push(path);
    else if (status.startsWith('D')) deleted.push(path);
    else modified.push(path);
  }
  created.push(...untracked.stdout.split('\0').filter((path) => path !== ''));
  const keep = (path: string) => !options.excludePrefix || (path !== options.excludePrefix && !path.startsWith(`${options.excludePrefix}/`));
  const c = sortedUnique(created.filter(keep));
  const m = sortedUnique(modified.filter(keep));
  const d = sortedUnique(deleted.filter(keep));
  return { files_created: c.length, files_modified: m.length, files_deleted: d.length, created: c, modified: m, deleted: d, metrics_placeholder: false };
}
