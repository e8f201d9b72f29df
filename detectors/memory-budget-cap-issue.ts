import { open } from 'node:fs/promises';
import { join } from 'node:path';
import picomatch from 'picomatch';
import * as v from 'valibot';
import { looksLikeText } from '../lib/gaps/text-files.ts';
import { defineDetector } from '../lib/registry/types.ts';
import { mapLimit } from '../lib/util/pool.ts';

/** Generated files nobody reads into a prompt. */
const DEFAULT_EXCLUDE = ['**/package-lock.json', '**/npm-shrinkwrap.json', '**/yarn.lock', '**/pnpm-lock.yaml', '**/*.lock', '**/*.min.*', '**/*.map'];

async function headIsText(root: string, path: string): Promise<boolean> {
  const handle = await open(join(root, path), 'r').catch(() => undefined);
  if (!handle) return false;
  try {
    const buffer = Buffer.alloc(8000);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return looksLikeText(buffer.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

function sizeLabel(bytes: number): string {
  return bytes % 1000 === 0 ? `${bytes / 1000}KB` : `${bytes} bytes`;
}

export default defineDetector({
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
  async detect(ctx) {
    const included = picomatch(ctx.options.include, { dot: true });
    const excluded = picomatch(ctx.options.exclude, { dot: true });
    const candidates = (await ctx.files()).filter((path) => included(path) && !excluded(path));
    const sizes = await mapLimit(candidates, 64, (path) => ctx.stat(path));
    const large = candidates.filter((_, i) => (sizes[i]?.size ?? 0) > ctx.options.max_bytes);
    const textual = await mapLimit(large, 16, (path) => headIsText(ctx.root, path));
    const flagged = large.filter((_, i) => textual[i]);
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
