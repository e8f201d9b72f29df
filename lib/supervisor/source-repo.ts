import { openRepository, type WorkspaceOptions } from '../config/workspace.ts';
import type { Git, RepoState } from '../git/git.ts';
import { systemClock, type Clock } from '../util/clock.ts';

/** What the supervisor needs of its source repository. */
export interface SourceRepo {
  root: string;
  cwd: string;
  env: Record<string, string | undefined>;
  projectId: string;
  runsDir: string;
  git: Git;
  repo: RepoState;
  clock: Clock;
}

/**
 * Opens the source repository by the rules every command follows (its top level, config,
 * project id, runs dir), without loading the detector and action registry: the supervisor runs
 * none of them itself (autopilot workers load their own), and every supervise starts faster.
 */
export async function openSourceRepo(options: Omit<WorkspaceOptions, 'runId'>): Promise<SourceRepo> {
  const opened = await openRepository(options);
  return { root: opened.root, cwd: options.cwd, env: options.env, projectId: opened.projectId, runsDir: opened.runsDir, git: opened.git, repo: opened.repo, clock: options.clock ?? systemClock };
}
