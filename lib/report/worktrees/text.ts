import { relative } from 'node:path';
import type { WorktreeInfo } from '../../supervisor/worktree.ts';
import type { Reporter } from '../types.ts';

/** `autopack autopilot supervise --list-worktrees`: git's worktrees, with whether autopack holds a live lease on them. */
export type WorktreeListing = Array<WorktreeInfo & { leased: boolean }>;

const render: Reporter<WorktreeListing> = (worktrees, context) =>
  `${worktrees.map((w) => `${relative(context.cwd, w.path) || '.'}  ${w.detached ? '(detached)' : (w.branch ?? '')}  ${(w.head ?? '').slice(0, 8)}${w.leased ? '  leased' : ''}`).join('\n')}\n`;
export default render;
