import picomatch from 'picomatch';
import * as v from 'valibot';
import { looksLikeText } from '../lib/gaps/text-files.ts';
import { restoreTracked } from '../lib/planning/suggested-commands.ts';
import { defineDetector, type DetectorContext, type Finding } from '../lib/registry/types.ts';
import { displayCommand } from '../lib/runner/run-check.ts';

/**
 * Files nobody reads into a prompt whole: lock files, minified code, source maps, vector art, and
 * release logs (a long-lived project's changelog grows without end, and is read from the top).
 */
const DEFAULT_EXCLUDE = [
  '**/CHANGELOG*', '**/CHANGES*', '**/HISTORY*', '**/package-lock.json', '**/npm-shrinkwrap.json', '**/yarn.lock', '**/pnpm-lock.yaml', '**/*.lock',
  '**/*.min.*', '**/*.map', '**/*.svg', '**/*.ai', '**/*.eps', '**/*.pdf', '**/*.ipynb',
];

interface Options {
  max_bytes: number;
  binary_max_bytes: number;
  include: string[];
  exclude: string[];
}

interface Verdict {
  size: number;
  text: boolean;
}

function sizeLabel(bytes: number): string {
  if (bytes % 1_000_000 === 0) return `${bytes / 1_000_000}MB`;
  return bytes % 1000 === 0 ? `${bytes / 1000}KB` : `${bytes} bytes`;
}

function anyOf(globs: readonly string[], options: picomatch.PicomatchOptions): RegExp {
  if (globs.length === 0) return /(?!)/;
  return new RegExp(globs.map((glob) => `(?:${picomatch.makeRe(glob, options).source})`).join('|'), options.nocase ? 'i' : '');
}

// Matchers compiled once per options object (the inspector sees every file).
const matchers = new WeakMap<Options, (path: string) => boolean>();
function selects(options: Options): (path: string) => boolean {
  let match = matchers.get(options);
  if (!match) {
    // One regular expression per list: picomatch's matcher of a list tries each glob in turn.
    const included = anyOf(options.include, { dot: true });
    const excluded = anyOf(options.exclude, { dot: true, nocase: true });
    match = (path) => included.test(path) && !excluded.test(path);
    matchers.set(options, match);
  }
  return match;
}

/**
 * The files the workspace gained rather than had: untracked ones in a full scan (an untracked
 * folder git collapsed counts for everything below it), added ones in a change.
 */
async function newFiles(ctx: DetectorContext<Options, Verdict>): Promise<(path: string) => boolean> {
  if (ctx.changes) return (path) => ctx.changes!.get(path) === 'added';
  const status = await ctx.status();
  const untracked = status.entries.filter((entry) => entry.x === '?').map((entry) => entry.path);
  return (path) => untracked.some((entry) => entry === path || (entry.endsWith('/') && path.startsWith(entry)));
}

export default defineDetector<Options, Verdict>({
  id: 'memory_budget_cap_issue',
  gap_type: 'memory_budget_cap_issue',
  title: 'Memory budget cap issue',
  description: 'Text files larger than an agent can read in one go (default 250 KB), and large binaries the workspace gained (default 5 MB).',
  scope: 'files',
  default: { risk: 'medium', blocks_autopilot: false },
  options: v.strictObject({
    /** A text file strictly larger than this many bytes is flagged. */
    max_bytes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 250_000),
    /** A new (untracked or added) binary file of at least this many bytes is flagged; committed ones are the project's. */
    binary_max_bytes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 5_000_000),
    include: v.optional(v.array(v.string()), ['**']),
    exclude: v.optional(v.array(v.string()), DEFAULT_EXCLUDE),
  }),
  messages: {
    large: {
      title: 'Large files detected: {count}',
      params: ['count', 'limit'],
      description: 'Found {count} files > {limit} that may exceed token budgets',
      signals: ['{count} files exceed {limit}', 'May cause token budget cap issues'],
      remediation: 'Split large files or consolidate content',
    },
    large_binary: {
      title: 'Large binary files added: {count}',
      params: ['count', 'limit'],
      description: 'Found {count} new binary files of {limit} or more in the workspace',
      signals: ['{count} new binary files of {limit} or more'],
      remediation: 'Remove the files, keep them out of the repository (.gitignore), or store them with Git LFS',
      blocks_autopilot: true,
    },
  },
  remediation: [
    {
      action_type: 'doc_update',
      messages: ['large'],
      title: 'Split large files: {title}',
      description: 'Split or consolidate large files',
      risk_score: 0.4,
      risk_factors: ['Modifies docs/', 'Restructures content'],
      cost: { tokens: 1000, time_seconds: 30 },
      rollback: (gap, facts) => restoreTracked(gap.evidence?.file_paths ?? [], facts),
    },
    {
      action_type: 'file_delete',
      messages: ['large_binary'],
      title: 'Remove large binaries: {title}',
      description: 'Delete the new binary files (or move them out of the repository)',
      risk_score: 0.4,
      risk_factors: ['Deletes files'],
      cost: { tokens: 50, time_seconds: 2 },
      command: (gap) => ((gap.evidence?.file_paths ?? []).length > 0 ? displayCommand(['rm', '--', ...gap.evidence!.file_paths!]) : undefined),
      // No rollback: an untracked file that is deleted is gone; move it aside first if it matters.
    },
  ],
  inspect: {
    select: (path, options) => selects(options)(path),
    // Only a file over a budget is opened past its size, and then only its head: text or binary.
    read: (size, options) => (size > options.max_bytes || size >= options.binary_max_bytes ? 'head' : 'none'),
    inspect: (file, options) => {
      if (!file.bytes || (file.size <= options.max_bytes && file.size < options.binary_max_bytes)) return undefined;
      return { size: file.size, text: looksLikeText(file.bytes) };
    },
  },
  async detect(ctx) {
    const inspected = await ctx.inspected();
    const findings: Finding[] = [];
    const large = inspected.filter((item) => item.verdict.text && item.verdict.size > ctx.options.max_bytes).map((item) => item.path);
    if (large.length > 0) findings.push({ message: 'large', inputs: large, params: { count: large.length, limit: sizeLabel(ctx.options.max_bytes) }, evidence: { file_paths: large }, estimated_actions: large.length });
    const binaries = inspected.filter((item) => !item.verdict.text && item.verdict.size >= ctx.options.binary_max_bytes);
    if (binaries.length > 0) {
      const isNew = await newFiles(ctx);
      const added = binaries.map((item) => item.path).filter(isNew);
      if (added.length > 0) findings.push({ message: 'large_binary', inputs: ['binary', ...added], params: { count: added.length, limit: sizeLabel(ctx.options.binary_max_bytes) }, evidence: { file_paths: added }, estimated_actions: added.length });
    }
    return findings;
  },
});
