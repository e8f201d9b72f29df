import * as v from 'valibot';
import { compilePathPattern, matchingPattern, normalizeWorkspacePath } from '../lib/governance/paths.ts';
import { defineDetector } from '../lib/registry/types.ts';
import { sortedUnique } from '../lib/util/sort.ts';

export default defineDetector<{ include_untracked: boolean; paths: string[]; block_changes: boolean }>({
  id: 'protected_path_violation',
  gap_type: 'protected_path_violation',
  title: 'Protected path violation',
  description: 'Uncommitted changes (including untracked files) under protected paths: docs/, config/, .github/ and those of the config or anchor.',
  scope: 'repo',
  // A change (a commit, a branch) is judged only where the config says agents commit.
  partial: true,
  default: { risk: 'high', blocks_autopilot: true },
  options: v.strictObject({
    /** Count untracked files in protected folders as modifications. */
    include_untracked: v.optional(v.boolean(), true),
    /** Protected paths of the detector itself; the config's `protected_paths` and the anchor's are added. */
    paths: v.optional(v.array(v.pipe(v.string(), v.minLength(1))), ['docs/', 'config/', '.github/']),
    /** Judge a change (--staged, --since, --files) too: for repositories where agents commit. Off, a person's edit of docs/ commits. */
    block_changes: v.optional(v.boolean(), false),
  }),
  messages: {
    modified: {
      title: 'Protected path modifications: {count}',
      params: ['count'],
      description: 'Found {count} modifications to protected paths',
      signals: ['{count} modified files in protected paths', 'Protected paths require explicit approval'],
      remediation: 'Review and approve protected path changes',
    },
  },
  remediation: [
    {
      action_type: 'doc_update',
      title: 'Review protected path changes: {title}',
      description: 'Review and commit protected path modifications',
      risk_score: 0.8,
      risk_factors: ['Modifies protected paths', 'Requires review'],
      cost: { tokens: 200, time_seconds: 5 },
      // No rollback: a review changes nothing, and discarding the edits under review would lose work.
    },
  ],
  isEnabled: (ctx) => {
    if (ctx.scope !== 'full') {
      return ctx.options.block_changes || `a ${ctx.scope} change's edits of protected paths are a person's to make (detectors.protected_path_violation.options.block_changes: true judges them, where agents commit)`;
    }
    return ctx.repo.isRepo || `needs a git repository (${ctx.repo.reason ?? 'none found'})`;
  },
  async detect(ctx) {
    const patterns = [...ctx.options.paths, ...ctx.protectedPaths].map(compilePathPattern);
    if (ctx.scope !== 'full') {
      const changed = (await ctx.files()).filter((path) => matchingPattern(path, patterns) !== undefined);
      return changed.length === 0 ? [] : [{ inputs: changed, params: { count: changed.length }, evidence: { file_paths: changed }, estimated_actions: changed.length }];
    }
    const status = await ctx.status();
    if (!status.ok) throw new Error(`git status failed: ${status.error ?? 'unknown error'}`);
    const touched: string[] = [];
    for (const entry of await withUntrackedFiles(status.entries, ctx.files)) {
      if (!ctx.options.include_untracked && entry.x === '?') continue;
      for (const raw of [entry.path, entry.origPath]) {
        if (raw === undefined) continue;
        const normalized = normalizeWorkspacePath(raw);
        if (normalized.ok && !ctx.excluded(normalized.path) && matchingPattern(normalized.path, patterns) !== undefined) touched.push(normalized.path);
      }
    }
    const violations = sortedUnique(touched);
    if (violations.length === 0) return [];
    return [{ inputs: violations, params: { count: violations.length }, evidence: { file_paths: violations }, estimated_actions: violations.length }];
  },
});

/**
 * `git status` shows an untracked folder as `infra/` without listing it; the file list has its
 * files one by one, so patterns (`*.tf`), evidence and ids see files, whatever git collapsed.
 */
type Entry = { x: string; y: string; path: string; origPath?: string };

async function withUntrackedFiles(entries: readonly Entry[], files: () => Promise<readonly string[]>): Promise<Entry[]> {
  if (!entries.some((entry) => entry.x === '?' && entry.path.endsWith('/'))) return [...entries];
  const listed = await files();
  return entries.flatMap((entry): Entry[] => {
    if (entry.x !== '?' || !entry.path.endsWith('/')) return [entry];
    const inside = listed.filter((file) => file.startsWith(entry.path));
    return inside.length > 0 ? inside.map((path) => ({ x: '?', y: '?', path })) : [entry];
  });
}
