import { lstatIfExists } from '../fs/lstat.ts';
import type { WorkspaceOptions } from '../config/workspace.ts';
import { join } from 'node:path';
import { runBaseDir } from '../fs/run-layout.ts';
import { prepareFolders } from '../fs/run-write.ts';
import { AutopackError } from '../util/errors.ts';
import { splitShellWords } from '../util/shell-words.ts';
import { branchNameProblem, DEFAULT_BRANCH_PREFIX } from './branch-name.ts';
import { checkParallelAllowed } from './gate.ts';
import { openSourceRepo, type SourceRepo } from './source-repo.ts';
import { worktreePath } from './worktree.ts';

/** A run id usable as a folder and a lock name: the anchor-compatible charset, never `.` or `..`. */
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** What a supervision needs to know before it may create anything. */
export interface PrepareOptions extends Omit<WorkspaceOptions, 'workspace' | 'runId'> {
  runIds: readonly string[];
  workers: number;
  /** The repository the worktrees are made from (default: cwd). */
  sourceRepo?: string | undefined;
  anchorPath?: string | undefined;
  /** A command line run in each worktree instead of an autopilot session (split into argv, never given to a shell). */
  exec?: string | undefined;
  /** Each run works on branch `<prefix><run_id>` (default `autopack/`). */
  branchPrefix?: string;
}

export interface PreparedSupervision {
  workspace: SourceRepo;
  /** The --exec command as argv, when there is one. */
  argv: string[] | undefined;
  /** min(workers, runs): how many runs execute at once. */
  effective: number;
  /** The anchor that was read (for the gate, or because it was named), passed on to autopilot workers. */
  anchorPath: string | undefined;
  /** The source repository's HEAD commit: every run branch starts there. */
  base: string;
  branchPrefix: string;
}

/** Input checks that happen before anything else: run ids, workers, the command, the branch prefix. */
export function validateSuperviseInput(runIds: readonly string[], workers: number, exec: string | undefined, branchPrefix = DEFAULT_BRANCH_PREFIX): string[] | undefined {
  if (runIds.length === 0 || runIds.every((runId) => runId === '')) throw new AutopackError('No run ids: pass --run-ids a,b,c');
  const seen = new Set<string>();
  runIds.forEach((runId, index) => {
    if (runId === '') throw new AutopackError(`Empty run id (item ${index + 1} of ${runIds.length} in --run-ids): every run needs a name; remove the extra comma`);
    if (!RUN_ID.test(runId)) throw new AutopackError(`Invalid run id '${runId}': use 1-128 characters from A-Z a-z 0-9 . _ - starting with a letter or digit`);
    if (seen.has(runId)) throw new AutopackError(`Duplicate run id '${runId}': each run needs its own worktree and lock`);
    const problem = branchNameProblem(`${branchPrefix}${runId}`);
    if (problem) throw new AutopackError(`Run id '${runId}' gives the branch name '${branchPrefix}${runId}', which git refuses: ${problem}`, { hint: 'choose another run id or --branch-prefix' });
    seen.add(runId);
  });
  if (!Number.isInteger(workers) || workers < 1) throw new AutopackError(`--workers must be a whole number of at least 1 (got ${workers})`);
  if (exec === undefined) return undefined;
  const argv = splitShellWords(exec);
  if (!argv) throw new AutopackError(`--exec has an unterminated quote: ${exec}`);
  if (argv.length === 0) throw new AutopackError('--exec is empty');
  return argv;
}

/**
 * Validation, the source repository and the parallelism gate: everything a supervision checks
 * before any lock, worktree, lease, directory or process exists. It only reads. A local
 * supervise and a matrix for CI go through exactly this, so both refuse the same way.
 */
/**
 * The supervisor's folders in the runs dir are real folders, and no run's worktree path is a
 * link: worktrees, locks and leases are made below them, and a symlink in their place would
 * carry those writes (and later the process sweep) out of the runs dir.
 */
export function assertOwnFolders(runsDir: string, runIds: readonly string[]): void {
  for (const folder of ['workspaces', '.locks', '.workspace_leases', 'supervisor']) prepareFolders(runsDir, join(runsDir, folder));
  for (const runId of runIds) {
    const path = worktreePath(runsDir, runId);
    if (lstatIfExists(path)?.isSymbolicLink()) throw new AutopackError(`Refusing to use ${path} as run ${runId}'s worktree: it is a symlink autopack did not make`);
  }
}

export async function prepareSupervision(options: PrepareOptions): Promise<PreparedSupervision> {
  const branchPrefix = options.branchPrefix ?? DEFAULT_BRANCH_PREFIX;
  const argv = validateSuperviseInput(options.runIds, options.workers, options.exec, branchPrefix);
  const effective = Math.min(options.workers, options.runIds.length);
  const workspace = await openSourceRepo({ ...options, workspace: options.sourceRepo });
  if (!workspace.repo.isRepo || !workspace.repo.hasCommits) {
    throw new AutopackError(`${workspace.root} is not a git repository with a commit: worktrees are made from HEAD`, { hint: 'pass --source-repo with a repository that has at least one commit' });
  }
  let anchorPath: string | undefined;
  // Read only when there is an anchor to read: a single run without one never loads the module.
  const loadAnchor = async (...args: Parameters<typeof import('../anchor/load-anchor.ts').loadAnchor>) => (await import('../anchor/load-anchor.ts')).loadAnchor(...args);
  const lookup = { anchorPath: options.anchorPath, runDir: runBaseDir(workspace.runsDir, workspace.projectId, 'local'), cwd: workspace.cwd };
  if (effective > 1) {
    const loaded = await loadAnchor(lookup).catch((error: unknown) => {
      if (!(error instanceof AutopackError) || options.anchorPath) throw error;
      throw new AutopackError(`Parallel runs (${effective} at once) need an intention anchor that allows them; none found.`, {
        extraLines: error.extraLines,
        hint: `create one (autopack anchor init --out anchor.json), set parallelism_isolation to {allowed: true, isolation_model: four_layer, max_concurrent_runs: ${effective}}, pass --anchor-path anchor.json`,
      });
    });
    checkParallelAllowed(loaded.anchor, effective);
    anchorPath = loaded.path;
  } else if (options.anchorPath) {
    anchorPath = (await loadAnchor(lookup)).path;
  }
  const head = await workspace.git.run(['rev-parse', '--verify', 'HEAD^{commit}']);
  if (head.exit_code !== 0) throw new AutopackError(`Cannot read HEAD of ${workspace.root}: ${head.stderr.trim()}`);
  return { workspace, argv, effective, anchorPath, base: head.stdout.trim(), branchPrefix };
}
