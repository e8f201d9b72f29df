import { basename } from 'node:path';
import { loadConfig } from '../config/load-config.ts';
import { resolveWorkspaceRoot, type WorkspaceOptions } from '../config/workspace.ts';
import { assertSafeId, resolveRunsDir, sanitizeProjectId } from '../fs/run-layout.ts';
import { createGit, type Git, type RepoState } from '../git/git.ts';
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
 * Opens the source repository the way openWorkspace does (same root, config, project id and
 * runs dir rules), without loading the detector and action registry: the supervisor runs none
 * of them itself (autopilot workers load their own), and every supervise starts faster.
 */
export async function openSourceRepo(options: Omit<WorkspaceOptions, 'runId'>): Promise<SourceRepo> {
  const root = resolveWorkspaceRoot(options.cwd, options.workspace);
  const config = await loadConfig({ workspace: root, cwd: options.cwd, explicitPath: options.configPath });
  const projectId = assertSafeId('project_id', options.projectId ?? config.config.project_id ?? sanitizeProjectId(basename(root)));
  const runsDir = resolveRunsDir({ workspace: root, cwd: options.cwd, flag: options.runsDir, env: options.env.AUTONOMOUS_RUNS_DIR, config: config.config.runs_dir });
  const git = createGit({ root, env: options.env, ...(options.gitBin ? { bin: options.gitBin } : {}) });
  return { root, cwd: options.cwd, env: options.env, projectId, runsDir, git, repo: await git.repoState(), clock: options.clock ?? systemClock };
}
