import { readdirSync, readFileSync, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import * as v from 'valibot';
import { extensionOf, looksLikeText } from '../lib/gaps/text-files.ts';
import { isUnmerged } from '../lib/git/status.ts';
import { defineDetector, type DetectorContext, type Finding } from '../lib/registry/types.ts';
import { excerpt } from '../lib/runner/redact.ts';
import { sha256Hex } from '../lib/util/hash.ts';
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

/** Files larger than this are not searched for conflict markers. */
const MARKER_SEARCH_LIMIT = 5_000_000;

interface Options {
  full_fsck: boolean;
  fsck_timeout_s: number;
}

type FsckVerdict = { ok: true } | { ok: false; detail: string } | { timedOut: true };

/**
 * What the object store looks like without reading it: pack names and sizes, the loose-object
 * count, every ref and HEAD. fsck's verdict is cached under this key and recomputed only when it
 * changes (on a long history fsck costs more than the rest of the scan).
 */
async function objectStoreKey(ctx: DetectorContext<Options>): Promise<string | undefined> {
  const gitDir = ctx.repo.gitDir;
  if (!gitDir) return undefined;
  let common = gitDir;
  try {
    const pointer = readFileSync(join(gitDir, 'commondir'), 'utf8').trim();
    common = isAbsolute(pointer) ? pointer : join(gitDir, pointer);
  } catch {
    // not a linked worktree: the git dir is the common dir
  }
  let packs: string[];
  try {
    const dir = join(common, 'objects', 'pack');
    packs = readdirSync(dir).sort().map((name) => `${name}:${statSync(join(dir, name)).size}`);
  } catch {
    packs = [];
  }
  const [count, refs] = await Promise.all([ctx.git.run(['count-objects', '-v']), ctx.git.run(['for-each-ref', '--format=%(objectname) %(refname)'])]);
  if (count.exit_code !== 0 || refs.exit_code !== 0) return undefined;
  return sha256Hex([ctx.options.full_fsck ? 'full' : 'connectivity', ctx.repo.head ?? '', count.stdout, refs.stdout, ...packs].join('\n'));
}

async function runFsck(ctx: DetectorContext<Options>): Promise<FsckVerdict> {
  const args = ['fsck', '--no-progress', '--no-dangling', ...(ctx.options.full_fsck ? [] : ['--connectivity-only'])];
  const result = await ctx.git.run(args, { timeoutMs: ctx.options.fsck_timeout_s * 1000 });
  if (result.timed_out) return { timedOut: true };
  if (result.error) throw new Error(result.error);
  const problems = result.stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !HARMLESS.test(line));
  if (result.exit_code === 0 && !problems.some((line) => /^(error|fatal|missing|broken link|bad)/i.test(line))) return { ok: true };
  return { ok: false, detail: excerpt(problems.join('; ') || `Exit code ${result.exit_code}`, { paths: [[ctx.root, '<workspace>']] }, 200) };
}

async function fsckFinding(ctx: DetectorContext<Options>): Promise<Finding | undefined> {
  const key = await objectStoreKey(ctx);
  let verdict = key === undefined ? undefined : (ctx.cache.read(key) as FsckVerdict | undefined);
  if (!verdict) {
    verdict = await runFsck(ctx);
    // A timeout says nothing about the store: never remembered.
    if (key !== undefined && !('timedOut' in verdict)) await ctx.cache.write(key, verdict);
  }
  if ('timedOut' in verdict) {
    return { message: 'fsck_timeout', inputs: ['git_fsck_timeout'], params: { seconds: ctx.options.fsck_timeout_s }, evidence: { file_paths: ['.git/'] } };
  }
  if (verdict.ok) return undefined;
  return { message: 'fsck', inputs: ['git_fsck_failed'], params: { detail: verdict.detail }, evidence: { file_paths: ['.git/'] } };
}

const MARKDOWN = new Set(['md', 'markdown', 'mdx', 'rst']);
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * A leftover merge conflict: a `<<<<<<<` line, then a `=======` line, then a `>>>>>>>` line, in
 * that order. Any one of them alone is ordinary text (a setext heading's `=======`), and in
 * Markdown a conflict shown inside a fenced code block is an example, not a conflict. Returns
 * the line of the first conflict's `<<<<<<<`.
 */
export function conflictMarkerLine(text: string, markdown: boolean): number | undefined {
  let stage = 0;
  let start = 0;
  let fence: string | undefined;
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index]!;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (markdown) {
      const opening = FENCE.exec(line)?.[1];
      if (fence !== undefined) {
        if (opening && opening[0] === fence[0] && opening.length >= fence.length) fence = undefined;
        continue;
      }
      if (opening) {
        fence = opening;
        stage = 0;
        continue;
      }
    }
    if (stage === 0 && /^<{7}( |$)/.test(line)) {
      stage = 1;
      start = index + 1;
    } else if (stage === 1 && /^={7}$/.test(line)) stage = 2;
    else if (stage === 2 && /^>{7}( |$)/.test(line)) return start;
  }
  return undefined;
}

const OPENING_MARKER = Buffer.from('<<<<<<<');

export default defineDetector<Options, number>({
  id: 'git_state_corruption',
  gap_type: 'git_state_corruption',
  title: 'Git state corruption',
  description: 'Damaged objects (git fsck errors, not notices), unmerged paths, an unfinished merge or rebase, conflict markers in files. A folder that is not a repository is not corruption.',
  scope: 'repo',
  // In a partial scan (a commit, a branch) it judges the changed files for conflict markers only.
  partial: true,
  default: { risk: 'critical', blocks_autopilot: true },
  options: v.strictObject({
    /** Verify every object's content too (slow on large histories). */
    full_fsck: v.optional(v.boolean(), false),
    fsck_timeout_s: v.optional(v.pipe(v.number(), v.minValue(1)), 60),
  }),
  messages: {
    fsck: {
      title: 'Git state corruption detected',
      params: ['detail'],
      description: 'git fsck reported errors',
      signals: ['git fsck failed or reported warnings', '{detail}'],
      remediation: 'Run git repair or restore from backup',
    },
    fsck_timeout: {
      title: 'Git integrity check timed out',
      params: ['seconds'],
      description: 'git fsck did not finish within {seconds}s; the object store was not verified',
      signals: ['git fsck timed out after {seconds}s'],
      remediation: 'Run git fsck by hand, or raise detectors.git_state_corruption.options.fsck_timeout_s',
      risk: 'low',
      blocks_autopilot: false,
    },
    unmerged: {
      title: 'Unmerged paths: {count}',
      params: ['count'],
      description: 'Found {count} paths with unresolved merge conflicts',
      signals: ['{count} unmerged paths in git status'],
      remediation: 'Resolve the conflicts and stage the files, or abort the merge',
      risk: 'high',
    },
    in_progress: {
      title: 'Unfinished git {operation}',
      params: ['operation', 'marker'],
      description: 'A git {operation} is in progress ({marker} exists)',
      signals: ['{marker} exists in the git directory'],
      remediation: 'Finish it (git {operation} --continue) or abort it (git {operation} --abort)',
      risk: 'high',
    },
    conflict_markers: {
      title: 'Conflict markers in {count} files',
      params: ['count'],
      description: 'Found {count} files containing merge conflict markers',
      signals: ['{count} files contain <<<<<<<, ======= and >>>>>>> lines'],
      remediation: 'Resolve the leftover conflicts in these files',
      risk: 'high',
    },
  },
  remediation: [
    {
      action_type: 'git_operation',
      title: 'Repair git state: {title}',
      description: 'Run git fsck and repair',
      risk_score: 0.9,
      risk_factors: ['Modifies git state', 'Critical operation'],
      cost: { tokens: 100, time_seconds: 10 },
      // No rollback: repairing a repository is not undone by a command.
    },
  ],
  inspect: {
    select: () => true,
    read: (size) => (size <= MARKER_SEARCH_LIMIT ? 'all' : 'none'),
    inspect(file) {
      const bytes = file.bytes;
      if (!bytes || bytes.length < 23) return undefined;
      const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      // Cheap native search first: almost no file has a marker at all.
      if (buffer.indexOf(OPENING_MARKER) < 0 || !looksLikeText(bytes)) return undefined;
      return conflictMarkerLine(buffer.toString('utf8'), MARKDOWN.has(extensionOf(file.path)));
    },
  },
  isEnabled: (ctx) => ctx.scope !== 'full' || ctx.repo.isRepo || `not a git repository, so nothing to check (${ctx.repo.reason ?? 'no work tree'})`,
  async detect(ctx) {
    const findings: Finding[] = [];
    const markerFinding = (inspected: ReadonlyArray<{ path: string; verdict: number }>): Finding | undefined => {
      if (inspected.length === 0) return undefined;
      const markers = inspected.map((item) => item.path);
      const locations = inspected.map((item) => ({ path: item.path, line: item.verdict }));
      return { message: 'conflict_markers', inputs: ['conflict_markers', ...markers], params: { count: markers.length }, evidence: { file_paths: markers, locations }, estimated_actions: markers.length };
    };
    if (ctx.scope !== 'full') {
      const markers = markerFinding(await ctx.inspected());
      return markers ? [markers] : [];
    }
    const [fsck, status, inspected] = await Promise.all([fsckFinding(ctx), ctx.status(), ctx.inspected()]);
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
    const markers = markerFinding(inspected);
    if (markers) findings.push(markers);
    return findings;
  },
});
