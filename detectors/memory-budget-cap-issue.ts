import picomatch from 'picomatch';
import * as v from 'valibot';
import { looksLikeText } from '../lib/gaps/text-files.ts';
import { defineDetector } from '../lib/registry/types.ts';
import { restoreTracked } from '../lib/planning/suggested-commands.ts';

/** Generated files nobody reads into a prompt. */
const DEFAULT_EXCLUDE = ['**/package-lock.json', '**/npm-shrinkwrap.json', '**/yarn.lock', '**/pnpm-lock.yaml', '**/*.lock', '**/*.min.*', '**/*.map'];

interface Options {
  max_bytes: number;
  include: string[];
  exclude: string[];
}

function sizeLabel(bytes: number): string {
  return bytes % 1000 === 0 ? `${bytes / 1000}KB` : `${bytes} bytes`;
}

// Matchers compiled once per options object (the inspector sees every file).
const matchers = new WeakMap<Options, (path: string) => boolean>();
function selects(options: Options): (path: string) => boolean {
  let match = matchers.get(options);
  if (!match) {
    const included = picomatch(options.include, { dot: true });
    const excluded = picomatch(options.exclude, { dot: true });
    match = (path) => included(path) && !excluded(path);
    matchers.set(options, match);
  }
  return match;
}

export default defineDetector<Options, true>({
  id: 'memory_budget_cap_issue',
  gap_type: 'memory_budget_cap_issue',
  title: 'Memory budget cap issue',
  description: 'Text files larger than the budget an agent can read in one go (default 100 KB).',
  scope: 'files',
  default: { risk: 'medium', blocks_autopilot: false },
  options: v.strictObject({
    /** A file strictly larger than this many bytes is flagged. */
    max_bytes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 100_000),
    include: v.optional(v.array(v.string()), ['**']),
    exclude: v.optional(v.array(v.string()), DEFAULT_EXCLUDE),
  }),
  messages: {
    large: {
      title: 'Large files detected: {count}',
      description: 'Found {count} files > {limit} that may exceed token budgets',
      signals: ['{count} files exceed {limit}', 'May cause token budget cap issues'],
      remediation: 'Split large files or consolidate content',
    },
  },
  remediation: [
    {
      action_type: 'doc_update',
      title: 'Split large files: {title}',
      description: 'Split or consolidate large files',
      risk_score: 0.4,
      risk_factors: ['Modifies docs/', 'Restructures content'],
      cost: { tokens: 1000, time_seconds: 30 },
      rollback: (gap, facts) => restoreTracked(gap.evidence?.file_paths ?? [], facts),
    },
  ],
  inspect: {
    select: (path, options) => selects(options)(path),
    // Only a file over the budget is opened past its size, and then only its head: text or binary.
    read: (size, options) => (size > options.max_bytes ? 'head' : 'none'),
    inspect: (file, options) => (file.size > options.max_bytes && file.bytes && looksLikeText(file.bytes) ? true : undefined),
  },
  async detect(ctx) {
    const flagged = (await ctx.inspected()).map((item) => item.path);
    if (flagged.length === 0) return [];
    return [
      {
        inputs: flagged,
        params: { count: flagged.length, limit: sizeLabel(ctx.options.max_bytes) },
        evidence: { file_paths: flagged },
        estimated_actions: flagged.length,
      },
    ];
  },
});
