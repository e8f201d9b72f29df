import { isUtf8 } from 'node:buffer';
import * as v from 'valibot';
import { extensionOf, TEXT_EXTENSIONS } from '../lib/gaps/text-files.ts';
import { restoreTracked } from '../lib/planning/suggested-commands.ts';
import { defineDetector } from '../lib/registry/types.ts';

type Verdict = 'invalid_utf8' | 'utf16';

interface Options {
  extensions: string[];
  max_bytes: number;
}

function inspectBytes(bytes: Uint8Array): Verdict | undefined {
  // UTF-16 files (as Windows tools like to write them) are full of NUL bytes; catch them first.
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) return 'utf16';
  if (bytes.includes(0)) return undefined; // binary content under a text name: not an encoding problem
  return isUtf8(bytes) ? undefined : 'invalid_utf8';
}

const extensionSets = new WeakMap<Options, Set<string>>();
function extensionsOf(options: Options): Set<string> {
  let set = extensionSets.get(options);
  if (!set) {
    set = new Set(options.extensions.map((ext) => ext.replace(/^\./, '').toLowerCase()));
    extensionSets.set(options, set);
  }
  return set;
}

export default defineDetector<Options, Verdict>({
  id: 'windows_encoding_issue',
  gap_type: 'windows_encoding_issue',
  title: 'Windows encoding issue',
  description: 'Text files (by extension) that are not valid UTF-8: cp1252 leftovers, UTF-16 with a BOM.',
  scope: 'files',
  default: { risk: 'high', blocks_autopilot: true },
  options: v.strictObject({
    extensions: v.optional(v.array(v.string()), [...TEXT_EXTENSIONS]),
    /** Larger files are skipped (memory_budget_cap_issue reports them anyway). */
    max_bytes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 5_000_000),
  }),
  messages: {
    encoding: {
      title: 'Encoding issues: {count} files',
      params: ['count'],
      description: 'Found {count} files with UTF-8 encoding errors',
      signals: ['{count} files failed UTF-8 decoding', 'Windows encoding issues detected'],
      remediation: 'Re-encode the files as UTF-8 (without changing their text)',
    },
    undecodable_names: {
      title: 'File names that are not UTF-8: {count} files',
      params: ['count'],
      description: 'Found {count} files whose names are not valid UTF-8: reports cannot name them faithfully, and a scan of the working tree cannot read them',
      signals: ['{count} file names failed UTF-8 decoding (shown with U+FFFD)'],
      remediation: 'Rename the files to UTF-8 names (git mv, or mv for untracked files)',
    },
  },
  remediation: [
    {
      action_type: 'custom',
      title: 'Fix encoding: {title}',
      description: 'Convert files to UTF-8 or add error handling',
      risk_score: 0.6,
      risk_factors: ['Modifies file encoding', 'May corrupt content'],
      cost: { tokens: 500, time_seconds: 15 },
      rollback: (gap, facts) => restoreTracked(gap.evidence?.file_paths ?? [], facts),
    },
  ],
  inspect: {
    select: (path, options) => extensionsOf(options).has(extensionOf(path)),
    read: (size, options) => (size > 0 && size <= options.max_bytes ? 'all' : 'none'),
    inspect: (file) => (file.bytes && file.bytes.length > 0 ? inspectBytes(file.bytes) : undefined),
  },
  async detect(ctx) {
    // git lists a name that is not UTF-8 with U+FFFD in place of its bytes: no such file can be
    // opened by that name, so it is reported for its name rather than silently left unread.
    const undecodable = (await ctx.files()).filter((path) => path.includes('\uFFFD'));
    const names = undecodable.length === 0 ? [] : [{ message: 'undecodable_names', inputs: undecodable, params: { count: undecodable.length }, evidence: { file_paths: undecodable }, estimated_actions: undecodable.length }];
    const flagged = await ctx.inspected();
    if (flagged.length === 0) return names;
    const paths = flagged.map((item) => item.path);
    const utf16 = flagged.filter((item) => item.verdict === 'utf16').length;
    return [
      ...names,
      {
        message: 'encoding',
        inputs: paths,
        params: { count: paths.length },
        evidence: { file_paths: paths },
        ...(utf16 > 0 ? { signals: [`${utf16} of them are UTF-16`] } : {}),
        estimated_actions: paths.length,
      },
    ];
  },
});
