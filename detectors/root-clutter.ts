import picomatch from 'picomatch';
import * as v from 'valibot';
import { DEFAULT_ROOT_ALLOW } from '../lib/gaps/text-files.ts';
import { defineDetector } from '../lib/registry/types.ts';

export const RootClutterOptions = v.strictObject({
  /** Root files that are fine (names or globs). Also used by sot_duplicate. */
  allow: v.optional(v.array(v.string()), [...DEFAULT_ROOT_ALLOW]),
  /** Root files that count as clutter unless allowed. */
  patterns: v.optional(v.array(v.string()), ['*.md']),
});

export default defineDetector({
  id: 'root_clutter',
  gap_type: 'root_clutter',
  title: 'Root clutter',
  description: 'Markdown notes, reports and plans left at the repository root instead of docs/ or archive/.',
  scope: 'files',
  default: { risk: 'medium', blocks_autopilot: false },
  options: RootClutterOptions,
  messages: {
    clutter: {
      title: 'Root clutter: {count} files should be in docs/',
      description: 'Found {count} markdown files in root that should be in docs/ or archive/',
      signals: ['Found {count} markdown files in root', 'Files should follow workspace organization spec'],
      remediation: 'Move the files into docs/ or archive/, or list them in detectors.root_clutter.options.allow',
    },
  },
  async detect(ctx) {
    const isClutter = picomatch(ctx.options.patterns, { dot: true });
    const isAllowed = picomatch(ctx.options.allow, { dot: true });
    const clutter = (await ctx.files()).filter((path) => !path.includes('/') && isClutter(path) && !isAllowed(path));
    if (clutter.length === 0) return [];
    return [{ inputs: clutter, params: { count: clutter.length }, evidence: { file_paths: clutter }, estimated_actions: clutter.length }];
  },
});
