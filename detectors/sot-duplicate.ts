import picomatch from 'picomatch';
import * as v from 'valibot';
import { DEFAULT_ROOT_ALLOW } from '../lib/gaps/text-files.ts';
import { defineDetector } from '../lib/registry/types.ts';
import { sha256Hex } from '../lib/util/hash.ts';

export default defineDetector({
  id: 'sot_duplicate',
  gap_type: 'sot_duplicate',
  title: 'Source-of-truth duplicate',
  description: 'A markdown file that exists both at the root and in docs/; divergent copies mean two sources of truth.',
  scope: 'files',
  default: { risk: 'medium', blocks_autopilot: false },
  options: v.strictObject({
    /** The canonical documentation folder. */
    docs_dir: v.optional(v.pipe(v.string(), v.minLength(1)), 'docs'),
  }),
  messages: {
    identical: {
      title: 'Duplicate file: {name}',
      description: 'File exists in both root and {docs_dir}/: {name} (identical copies)',
      signals: ['Found {name} in root', 'Found {name} in {docs_dir}/', 'Contents are identical'],
      remediation: 'Remove the root copy and keep the canonical version in {docs_dir}/',
    },
    divergent: {
      title: 'Divergent duplicate: {name}',
      description: 'File exists in both root and {docs_dir}/ with different contents: {name}',
      signals: ['Found {name} in root', 'Found {name} in {docs_dir}/', 'Contents differ'],
      remediation: 'Merge the two versions into {docs_dir}/{name} and remove the root copy',
      risk: 'high',
      blocks_autopilot: true,
    },
  },
  async detect(ctx) {
    const docsDir = ctx.options.docs_dir.replace(/\/+$/, '');
    const allow = (ctx.optionsOf('root_clutter') as { allow?: string[] } | undefined)?.allow ?? [...DEFAULT_ROOT_ALLOW];
    const isAllowed = picomatch(allow, { dot: true });
    const files = await ctx.files();
    const present = new Set(files);
    const findings = [];
    for (const name of files) {
      if (name.includes('/') || !name.endsWith('.md') || isAllowed(name)) continue;
      const copy = `${docsDir}/${name}`;
      if (!present.has(copy)) continue;
      const [root, docs] = await Promise.all([ctx.readFile(name), ctx.readFile(copy)]);
      if (!root || !docs) continue;
      const same = sha256Hex(root) === sha256Hex(docs);
      findings.push({
        message: same ? 'identical' : 'divergent',
        inputs: [name, copy],
        params: { name, docs_dir: docsDir },
        evidence: { file_paths: [name, copy] },
      });
    }
    return findings;
  },
});
