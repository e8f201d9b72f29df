import * as v from 'valibot';
import { defineDetector } from '../lib/registry/types.ts';
import { displayCommand } from '../lib/runner/run-check.ts';
import { sha256Hex } from '../lib/util/hash.ts';

interface Options {
  docs_dir: string;
  ignore: string[];
  ledgers: string[];
  required: boolean;
}

const dirOf = (options: Options) => options.docs_dir.replace(/\/+$/, '');

export default defineDetector<Options, string>({
  id: 'sot_duplicate',
  gap_type: 'sot_duplicate',
  title: 'Source-of-truth duplicate',
  description: 'A markdown file that exists both at the root and in docs/; divergent copies mean two sources of truth.',
  scope: 'files',
  // Both copies are needed to compare them: a change's files alone cannot say.
  partial: false,
  default: { risk: 'medium', blocks_autopilot: false },
  options: v.strictObject({
    /** The canonical documentation folder. */
    docs_dir: v.optional(v.pipe(v.string(), v.minLength(1)), 'docs'),
    /** Root files that may have a copy in the docs folder. */
    ignore: v.optional(v.array(v.string()), ['README.md', 'CONTRIBUTING.md', 'LICENSE.md']),
    /** Files of the docs folder that mark a repository as keeping source-of-truth ledgers: the detector applies where one exists. */
    ledgers: v.optional(v.array(v.string()), ['BUILD_HISTORY.md', 'DEBUG_LOG.md', 'ARCHITECTURE_DECISIONS.md', 'SOT_INDEX.md']),
    /** Apply it whether or not a ledger exists. */
    required: v.optional(v.boolean(), false),
  }),
  messages: {
    identical: {
      title: 'Duplicate file: {name}',
      params: ['name', 'docs_dir'],
      description: 'File exists in both root and {docs_dir}/: {name} (identical copies)',
      signals: ['Found {name} in root', 'Found {name} in {docs_dir}/', 'Contents are identical'],
      remediation: 'Remove the root copy and keep the canonical version in {docs_dir}/',
    },
    divergent: {
      title: 'Divergent duplicate: {name}',
      params: ['name', 'docs_dir'],
      description: 'File exists in both root and {docs_dir}/ with different contents: {name}',
      signals: ['Found {name} in root', 'Found {name} in {docs_dir}/', 'Contents differ'],
      remediation: 'Merge the two versions into {docs_dir}/{name} and remove the root copy',
    },
  },
  remediation: [
    {
      action_type: 'file_delete',
      messages: ['identical'],
      title: 'Remove duplicate: {title}',
      description: 'Remove the root copy and keep the canonical version',
      risk_score: 0.4,
      risk_factors: ['Deletes files', 'Modifies SOT'],
      cost: { tokens: 100, time_seconds: 2 },
      command: (gap) => (gap.evidence?.file_paths?.[0] ? displayCommand(['rm', '--', rootCopy(gap.evidence.file_paths)]) : undefined),
      // The copies are identical, so copying the canonical one back restores the deleted file exactly.
      rollback: (gap) => {
        const [first, second] = gap.evidence?.file_paths ?? [];
        if (!first || !second) return undefined;
        const root = rootCopy([first, second]);
        return displayCommand(['cp', '--', root === first ? second : first, root]);
      },
    },
    {
      action_type: 'doc_update',
      messages: ['divergent'],
      title: 'Merge duplicate: {title}',
      description: 'Merge the two versions into the docs copy and remove the root copy',
      risk_score: 0.5,
      risk_factors: ['Merges two versions', 'Modifies SOT'],
      cost: { tokens: 500, time_seconds: 30 },
    },
  ],
  inspect: {
    select: (path, options) => {
      const dir = dirOf(options);
      const name = path.startsWith(`${dir}/`) ? path.slice(dir.length + 1) : path;
      return name.endsWith('.md') && !name.includes('/') && !options.ignore.includes(name);
    },
    read: () => 'all',
    inspect: (file) => sha256Hex(file.bytes ?? new Uint8Array(0)),
  },
  // Source-of-truth ledgers are one project's convention: judged where the repository keeps them.
  async isEnabled(ctx) {
    if (ctx.options.required) return true;
    const dir = dirOf(ctx.options);
    const files = new Set(await ctx.files());
    return ctx.options.ledgers.some((name) => files.has(`${dir}/${name}`)) || `no source-of-truth ledger in ${dir}/ (${ctx.options.ledgers.join(', ')}); set detectors.sot_duplicate.options.required: true to check anyway`;
  },
  async detect(ctx) {
    const dir = dirOf(ctx.options);
    const hashes = new Map((await ctx.inspected()).map((item) => [item.path, item.verdict]));
    const findings = [];
    for (const [name, hash] of hashes) {
      if (name.includes('/')) continue;
      const copy = `${dir}/${name}`;
      const copyHash = hashes.get(copy);
      if (copyHash === undefined) continue;
      findings.push({
        message: hash === copyHash ? 'identical' : 'divergent',
        inputs: [name, copy],
        params: { name, docs_dir: dir },
        evidence: { file_paths: [name, copy] },
      });
    }
    return findings;
  },
});

/** Of a root file and its docs copy, the root one (the one without a folder). */
function rootCopy(paths: readonly string[]): string {
  return paths.find((path) => !path.includes('/')) ?? paths[0]!;
}
