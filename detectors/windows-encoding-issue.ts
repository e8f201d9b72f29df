import { isUtf8 } from 'node:buffer';
import * as v from 'valibot';
import { extensionOf, TEXT_EXTENSIONS } from '../lib/gaps/text-files.ts';
import { defineDetector } from '../lib/registry/types.ts';
import { mapLimit } from '../lib/util/pool.ts';

type Verdict = 'ok' | 'invalid_utf8' | 'utf16';

function inspect(bytes: Buffer): Verdict {
  // UTF-16 files (as Windows tools like to write them) are full of NUL bytes; catch them first.
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) return 'utf16';
  if (bytes.includes(0)) return 'ok'; // binary content under a text name: not an encoding problem
  return isUtf8(bytes) ? 'ok' : 'invalid_utf8';
}

export default defineDetector({
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
      description: 'Found {count} files with UTF-8 encoding errors',
      signals: ['{count} files failed UTF-8 decoding', 'Windows encoding issues detected'],
      remediation: 'Re-encode the files as UTF-8 (without changing their text)',
    },
  },
  async detect(ctx) {
    const extensions = new Set(ctx.options.extensions.map((ext) => ext.replace(/^\./, '').toLowerCase()));
    const candidates = (await ctx.files()).filter((path) => extensions.has(extensionOf(path)));
    const verdicts = await mapLimit(candidates, 32, async (path): Promise<Verdict> => {
      const info = await ctx.stat(path);
      if (!info || info.size === 0 || info.size > ctx.options.max_bytes) return 'ok';
      const bytes = await ctx.readFile(path);
      return bytes ? inspect(bytes) : 'ok';
    });
    const flagged = candidates.filter((_, i) => verdicts[i] !== 'ok');
    if (flagged.length === 0) return [];
    const utf16 = verdicts.filter((verdict) => verdict === 'utf16').length;
    return [
      {
        inputs: flagged,
        params: { count: flagged.length },
        evidence: { file_paths: flagged },
        ...(utf16 > 0 ? { signals: [`${utf16} of them are UTF-16`] } : {}),
        estimated_actions: flagged.length,
      },
    ];
  },
});
