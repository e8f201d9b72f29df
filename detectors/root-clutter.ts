import picomatch from 'picomatch';
import * as v from 'valibot';
import { moveCommands } from '../lib/planning/suggested-commands.ts';
import { defineDetector } from '../lib/registry/types.ts';

/**
 * Files that belong at a repository root by convention, by name without extension, in any case:
 * `Readme.md`, `History.md`, `SUPPORT.md` and `maintainer.md` are a project's, not an agent's.
 */
const CONVENTIONAL = new Set(
  [
    'acknowledgments', 'acknowledgements', 'agents', 'authors', 'changelog', 'changes', 'citation', 'claude', 'code_of_conduct',
    'code-of-conduct', 'codeowners', 'conduct', 'contributing', 'contributors', 'copying', 'copyright', 'development', 'funding',
    'gemini', 'governance', 'hacking', 'history', 'install', 'license', 'licence', 'maintainer', 'maintainers', 'maintaining',
    'migrating', 'migration', 'news', 'notice', 'patents', 'readme', 'release', 'releasing', 'roadmap', 'security', 'support',
    'thanks', 'troubleshooting', 'upgrading',
  ],
);

interface Options {
  allow: string[];
  allow_only?: string[];
  patterns: string[];
}

const baseName = (name: string) => name.replace(/\.[^.]*$/, '').toLowerCase();

export default defineDetector<Options>({
  id: 'root_clutter',
  gap_type: 'root_clutter',
  title: 'Root clutter',
  description: 'Markdown notes, reports and plans left at the repository root instead of docs/ or archive/.',
  scope: 'files',
  default: { risk: 'medium', blocks_autopilot: false },
  options: v.strictObject({
    /** More root files that are fine (names or globs, any case), on top of the conventional ones. */
    allow: v.optional(v.array(v.string()), []),
    /** The only root files that are fine (names or globs, any case): replaces the conventional ones and `allow`. */
    allow_only: v.optional(v.array(v.string())),
    /** Root files that count as clutter unless allowed. */
    patterns: v.optional(v.array(v.string()), ['*.md']),
  }),
  messages: {
    clutter: {
      title: 'Root clutter: {count} files should be in docs/',
      params: ['count'],
      description: 'Found {count} markdown files in root that should be in docs/ or archive/',
      signals: ['Found {count} markdown files in root', 'Files should follow workspace organization spec'],
      remediation: 'Move the files into docs/ or archive/, or list them in detectors.root_clutter.options.allow',
    },
    new_notes: {
      title: 'New root notes: {count} files added at the root',
      params: ['count'],
      description: 'The change adds {count} markdown files at the root that belong in docs/ or archive/',
      signals: ['{count} markdown files added at the root'],
      remediation: 'Move the files into docs/ or archive/ before committing, or list them in detectors.root_clutter.options.allow',
      blocks_autopilot: true,
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
    const isClutter = picomatch(ctx.options.patterns, { dot: true, nocase: true });
    const allowList = ctx.options.allow_only ?? ctx.options.allow;
    const allowed = allowList.length > 0 ? picomatch(allowList, { dot: true, nocase: true }) : () => false;
    const conventional = (name: string) => ctx.options.allow_only === undefined && CONVENTIONAL.has(baseName(name));
    let clutter = (await ctx.files()).filter((path) => !path.includes('/') && isClutter(path) && !conventional(path) && !allowed(path));
    // A change (a commit, a branch) is judged on what it adds: a new note blocks, an edit of an old one does not.
    if (ctx.changes) clutter = clutter.filter((path) => ctx.changes!.get(path) === 'added');
    if (clutter.length === 0) return [];
    return [{ message: ctx.changes ? 'new_notes' : 'clutter', inputs: clutter, params: { count: clutter.length }, evidence: { file_paths: clutter }, estimated_actions: clutter.length }];
  },
});
