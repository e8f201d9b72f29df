import picomatch from 'picomatch';
import * as v from 'valibot';
import { defineDetector } from '../lib/registry/types.ts';
import { moveCommands } from '../lib/planning/suggested-commands.ts';

/** Markdown files that belong at a repository root. */
const DEFAULT_ALLOW = ['AGENTS.md', 'CHANGELOG.md', 'CLAUDE.md', 'CODE_OF_CONDUCT.md', 'CONTRIBUTING.md', 'LICENSE.md', 'README.md', 'SECURITY.md'];

export default defineDetector({
  id: 'root_clutter',
  gap_type: 'root_clutter',
  title: 'Root clutter',
  description: 'Markdown notes, reports and plans left at the repository root instead of docs/ or archive/.',
  scope: 'files',
  default: { risk: 'medium', blocks_autopilot: false },
  options: v.strictObject({
    /** Root files that are fine (names or globs). */
    allow: v.optional(v.array(v.string()), [...DEFAULT_ALLOW]),
    /** Root files that count as clutter unless allowed. */
    patterns: v.optional(v.array(v.string()), ['*.md']),
  }),
  messages: {
    clutter: {
      title: 'Root clutter: {count} files should be in docs/',
      description: 'Found {count} markdown files in root that should be in docs/ or archive/',
      signals: ['Found {count} markdown files in root', 'Files should follow workspace organization spec'],
      remediation: 'Move the files into docs/ or archive/, or list them in detectors.root_clutter.options.allow',
    },
  },
  remediation: [
    {
      action_type: 'file_move',
      title: 'Organize workspace: {title}',
      description: 'Move cluttered files to docs/ or archive/',
      risk_score: 0.2,
      risk_factors: ['Moves files'],
      cost: { tokens: 200, time_seconds: 5 },
      // `mv` works for tracked and untracked files alike (git sees a rename once staged), and moving back undoes it.
      command: (gap) => {
        const move = moveCommands((gap.evidence?.file_paths ?? []).map((path) => [path, `docs/${path}`]));
        return move && `mkdir -p docs && ${move}`;
      },
      rollback: (gap) => moveCommands((gap.evidence?.file_paths ?? []).map((path) => [`docs/${path}`, path])),
    },
  ],
  async detect(ctx) {
    const isClutter = picomatch(ctx.options.patterns, { dot: true });
    const isAllowed = picomatch(ctx.options.allow, { dot: true });
    const clutter = (await ctx.files()).filter((path) => !path.includes('/') && isClutter(path) && !isAllowed(path));
    if (clutter.length === 0) return [];
    return [{ inputs: clutter, params: { count: clutter.length }, evidence: { file_paths: clutter }, estimated_actions: clutter.length }];
  },
});
