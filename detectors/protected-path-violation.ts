import * as v from 'valibot';
import { compilePathPattern, matchingPattern, normalizeWorkspacePath } from '../lib/governance/paths.ts';
import { defineDetector } from '../lib/registry/types.ts';
import { sortedUnique } from '../lib/util/sort.ts';

export default defineDetector({
  id: 'protected_path_violation',
  gap_type: 'protected_path_violation',
  title: 'Protected path violation',
  description: 'Uncommitted changes (including untracked files) under protected paths: docs/, config/, .github/ and those of the config or anchor.',
  scope: 'repo',
  default: { risk: 'high', blocks_autopilot: true },
  options: v.strictObject({
    /** Count untracked files in protected folders as modifications (the reference does). */
    include_untracked: v.optional(v.boolean(), true),
  }),
  messages: {
    modified: {
      title: 'Protected path modifications: {count}',
      description: 'Found {count} modifications to protected paths',
      signals: ['{count} modified files in protected paths', 'Protected paths require explicit approval'],
      remediation: 'Review and approve protected path changes',
    },
  },
  isEnabled: (ctx) => ctx.repo.isRepo || `needs a git repository (${ctx.repo.reason ?? 'none found'})`,
  async detect(ctx) {
    const status = await ctx.status();
    if (!status.ok) throw new Error(`git status failed: ${status.error ?? 'unknown error'}`);
    const patterns = ctx.protectedPaths.map(compilePathPattern);
    const touched: string[] = [];
    for (const entry of status.entries) {
      if (!ctx.options.include_untracked && entry.x === '?') continue;
      for (const raw of [entry.path, entry.origPath]) {
        if (raw === undefined) continue;
        const normalized = normalizeWorkspacePath(raw);
        if (normalized.ok && matchingPattern(normalized.path, patterns) !== undefined) touched.push(normalized.path);
      }
    }
    const violations = sortedUnique(touched);
    if (violations.length === 0) return [];
    return [{ inputs: violations, params: { count: violations.length }, evidence: { file_paths: violations }, estimated_actions: violations.length }];
  },
});
