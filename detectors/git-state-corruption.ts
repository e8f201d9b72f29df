import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as v from 'valibot';
import { isUnmerged } from '../lib/git/status.ts';
import { defineDetector, type DetectorContext, type Finding } from '../lib/registry/types.ts';
import { excerpt } from '../lib/runner/redact.ts';
import { sortedUnique } from '../lib/util/sort.ts';

/** Operations that leave the repository half-way until someone finishes or aborts them. */
const IN_PROGRESS: Array<[file: string, operation: string]> = [
  ['MERGE_HEAD', 'merge'],
  ['rebase-merge', 'rebase'],
  ['rebase-apply', 'rebase or am'],
  ['CHERRY_PICK_HEAD', 'cherry-pick'],
  ['REVERT_HEAD', 'revert'],
];

/** fsck lines that are information, not damage. */
const HARMLESS = /^(notice|dangling|warning in|Checking|missing (blob|tree) for reflog)/i;

async function fsckFinding(ctx: DetectorContext<FsckOptions>): Promise<Finding | undefined> {
  const args = ['fsck', '--no-progress', '--no-dangling', ...(ctx.options.full_fsck ? [] : ['--connectivity-only'])];
  const result = await ctx.git.run(args, { timeoutMs: ctx.options.fsck_timeout_s * 1000 });
  if (result.timed_out) {
    return { message: 'fsck_timeout', inputs: ['git_fsck_timeout'], params: { seconds: ctx.options.fsck_timeout_s }, evidence: { file_paths: ['.git/'] } };
  }
  if (result.error) throw new Error(result.error);
  const problems = result.stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !HARMLESS.test(line));
  if (result.exit_code === 0 && !problems.some((line) => /^(error|fatal|missing|broken link|bad)/i.test(line))) return undefined;
  const detail = excerpt(problems.join('; ') || `Exit code ${result.exit_code}`, { paths: [[ctx.root, '<workspace>']] }, 200);
  return {
    message: 'fsck',
    inputs: ['git_fsck_failed'],
    params: { detail },
    evidence: { file_paths: ['.git/'] },
  };
}

async function conflictMarkerFiles(ctx: DetectorContext): Promise<string[]> {
  // All three markers in one file, each at a line start: one of them alone (a setext
  // heading's =======) is normal text.
  const result = await ctx.git.run([
    'grep', '-l', '-I', '--untracked', '--all-match', '-E',
    '-e', '^<{7}( |$)', '-e', '^={7}$', '-e', '^>{7}( |$)', '--', '.',
  ]);
  if (result.exit_code !== 0) return [];
  const listed = new Set(await ctx.files());
  return sortedUnique(result.stdout.split('\n').filter((path) => path !== '' && listed.has(path)));
}

interface FsckOptions {
  full_fsck: boolean;
  fsck_timeout_s: number;
}

export default defineDetector({
  id: 'git_state_corruption',
  gap_type: 'git_state_corruption',
  title: 'Git state corruption',
  description: 'Damaged objects (git fsck errors, not notices), unmerged paths, an unfinished merge or rebase, conflict markers in files. A folder that is not a repository is not corruption.',
  scope: 'repo',
  default: { risk: 'critical', blocks_autopilot: true },
  options: v.strictObject({
    /** Verify every object's content too (slow on large histories). */
    full_fsck: v.optional(v.boolean(), false),
    fsck_timeout_s: v.optional(v.pipe(v.number(), v.minValue(1)), 60),
  }),
  messages: {
    fsck: {
      title: 'Git state corruption detected',
      description: 'git fsck reported errors',
      signals: ['git fsck failed or reported warnings', '{detail}'],
      remediation: 'Run git repair or restore from backup',
    },
    fsck_timeout: {
      title: 'Git integrity check timed out',
      description: 'git fsck did not finish within {seconds}s; the object store was not verified',
      signals: ['git fsck timed out after {seconds}s'],
      remediation: 'Run git fsck by hand, or raise detectors.git_state_corruption.options.fsck_timeout_s',
      risk: 'low',
      blocks_autopilot: false,
    },
    unmerged: {
      title: 'Unmerged paths: {count}',
      description: 'Found {count} paths with unresolved merge conflicts',
      signals: ['{count} unmerged paths in git status'],
      remediation: 'Resolve the conflicts and stage the files, or abort the merge',
      risk: 'high',
    },
    in_progress: {
      title: 'Unfinished git {operation}',
      description: 'A git {operation} is in progress ({marker} exists)',
      signals: ['{marker} exists in the git directory'],
      remediation: 'Finish it (git {operation} --continue) or abort it (git {operation} --abort)',
      risk: 'high',
    },
    conflict_markers: {
      title: 'Conflict markers in {count} files',
      description: 'Found {count} files containing merge conflict markers',
      signals: ['{count} files contain <<<<<<<, ======= and >>>>>>> lines'],
      remediation: 'Resolve the leftover conflicts in these files',
      risk: 'high',
    },
  },
  isEnabled: (ctx) => ctx.repo.isRepo || `not a git repository, so nothing to check (${ctx.repo.reason ?? 'no work tree'})`,
  async detect(ctx) {
    const findings: Finding[] = [];
    const [fsck, status, markers] = await Promise.all([fsckFinding(ctx), ctx.status(), conflictMarkerFiles(ctx)]);
    if (fsck) findings.push(fsck);
    const unmerged = sortedUnique(status.entries.filter(isUnmerged).map((entry) => entry.path));
    if (unmerged.length > 0) {
      findings.push({ message: 'unmerged', inputs: ['unmerged', ...unmerged], params: { count: unmerged.length }, evidence: { file_paths: unmerged }, estimated_actions: unmerged.length });
    }
    const gitDir = ctx.repo.gitDir;
    if (gitDir) {
      for (const [marker, operation] of IN_PROGRESS) {
        if (await stat(join(gitDir, marker)).catch(() => undefined)) {
          findings.push({ message: 'in_progress', inputs: [`in_progress:${marker}`], params: { operation: operation.split(' ')[0]!, marker } });
        }
      }
    }
    if (markers.length > 0) {
      findings.push({ message: 'conflict_markers', inputs: ['conflict_markers', ...markers], params: { count: markers.length }, evidence: { file_paths: markers }, estimated_actions: markers.length });
    }
    return findings;
  },
});
