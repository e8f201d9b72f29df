import { existsSync, realpathSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { createGit, type Git, type RepoState } from '../git/git.ts';
import { assertSafeId, runBaseDir, sanitizeProjectId } from '../fs/run-layout.ts';
import { resolveRunsDir, runsDirInside } from '../fs/runs-dir.ts';
import { loadRegistry, type PluginDefinition, type Registry } from '../registry/load.ts';
import type { Clock } from '../util/clock.ts';
import { systemClock } from '../util/clock.ts';
import { AutopackError } from '../util/errors.ts';
import { silentLogger, type Logger } from '../util/logger.ts';
import type { CheckSpec } from '../contracts/config.ts';
import { resolveChecks } from '../gaps/checks.ts';
import { treeHas } from '../git/blobs.ts';
import { loadConfig, resolveDetectorPlans, type DetectorPlans, type LoadedConfig } from './load-config.ts';

export interface WorkspaceOptions {
  /** The folder to work on; defaults to `cwd`. */
  workspace?: string | undefined;
  /** Where relative flags resolve from. */
  cwd: string;
  /** The process environment (PATH for git and checks, AUTONOMOUS_RUNS_DIR). */
  env: Record<string, string | undefined>;
  runId?: string | undefined;
  projectId?: string | undefined;
  runsDir?: string | undefined;
  configPath?: string | undefined;
  clock?: Clock;
  logger?: Logger;
  /** The git program (tests point it at a missing binary). */
  gitBin?: string;
  /** Load the config's plugins (repository code); default true. */
  loadPlugins?: boolean;
  /**
   * Refs other processes change while this workspace is worked on, which effect checks leave
   * out: a supervised run's worktree shares its ref store with the sibling runs, whose branches
   * come and go.
   */
  siblingRefs?: (ref: string) => boolean;
  /** Plugins given as values (the caller's own code, loaded whatever `loadPlugins` says). */
  definitions?: readonly PluginDefinition[];
}

/** Everything a command needs to know about the workspace it works on. */
export interface Workspace {
  root: string;
  cwd: string;
  env: Record<string, string | undefined>;
  config: LoadedConfig;
  /** The config file as shown in messages, or undefined when none was read. */
  configDisplay: string | undefined;
  registry: Registry;
  /** The config's plugins, when this command was opened without repository code (their detectors are unknown to it). */
  pluginsNotLoaded?: string[];
  /** What opening the workspace left out, for the report's notes (plugins not loaded, say). */
  notes: string[];
  /** Each detector's options and settings, resolved on demand. */
  plans: DetectorPlans;
  /** The mechanical checks a detector runs here (configured, else its defaults), resolved once. */
  checksOf(detectorId: string): Promise<readonly CheckSpec[]>;
  projectId: string;
  runId: string;
  runsDir: string;
  /** `<runs>/<project>/runs/<family>/<run>`. */
  runDir: string;
  git: Git;
  repo: RepoState;
  /**
   * When the workspace was given as a folder below a repository's top level: that folder (POSIX,
   * trailing slash). The scan is then partial, and says so.
   */
  subfolder?: string;
  /** When autopack was run from a folder below the top level and moved up to it: that folder. */
  movedUpFrom?: string;
  clock: Clock;
  logger: Logger;
  /** See WorkspaceOptions. */
  siblingRefs?: (ref: string) => boolean;
}

export function resolveWorkspaceRoot(cwd: string, workspace: string | undefined): string {
  const root = resolve(cwd, workspace ?? '.');
  let isDir = false;
  try {
    isDir = statSync(root).isDirectory();
  } catch {
    throw new AutopackError(`Workspace does not exist: ${workspace ?? root}`, { hint: 'pass an existing folder with --workspace' });
  }
  if (!isDir) throw new AutopackError(`Workspace is not a directory: ${workspace ?? root}`);
  // The real path: the runs dir is resolved to its real path too, and the two are compared.
  return realpathSync(root);
}

/**
 * The folder to work on. Run from inside a repository without `--workspace`, that is the
 * repository's top level (a scan of `docs/` alone would call a repository with blockers at its
 * root clean). An explicit `--workspace` below the top level is honoured as a partial workspace.
 * A folder outside any repository is used as it is.
 */
export async function locateWorkspace(options: WorkspaceOptions): Promise<{ root: string; git: Git; repo: RepoState; subfolder?: string; movedUpFrom?: string }> {
  const start = resolveWorkspaceRoot(options.cwd, options.workspace);
  const gitOptions = { env: options.env, ...(options.gitBin ? { bin: options.gitBin } : {}) };
  const git = createGit({ root: start, ...gitOptions });
  const repo = await git.repoState();
  // Git's own folder (`.git`, or a bare repository) is no workspace: scanned as a folder it would report git's internals.
  if (!repo.isRepo && repo.gitAvailable && (await git.run(['rev-parse', '--is-inside-git-dir'])).stdout.trim() === 'true') {
    throw new AutopackError(`${start} is inside a git directory (a .git folder or a bare repository), which has no work tree to scan`, {
      hint: 'run autopack in the work tree of a repository (the folder that holds .git)',
    });
  }
  if (!repo.isRepo || repo.prefix === '' || !repo.topLevel) return { root: start, git, repo };
  if (options.workspace !== undefined) return { root: start, git, repo, subfolder: repo.prefix };
  const root = realpathSync(repo.topLevel);
  const top: RepoState = { ...repo, prefix: '' };
  return { root, git: createGit({ root, ...gitOptions, knownState: top }), repo: top, movedUpFrom: repo.prefix };
}

/**
 * A runs dir inside the workspace must not hold (or sit below a folder that holds) tracked files:
 * its exclude entry and the detectors' skipping it would hide them (`--runs-dir src`).
 */
async function refuseTrackedRunsDir(git: Git, repo: RepoState, root: string, runsDir: string): Promise<void> {
  const rel = runsDirInside(root, runsDir);
  if (rel === undefined || !repo.isRepo) return;
  const top = rel.split('/')[0]!;
  // A folder that does not exist holds nothing git could be hiding (an exclude entry never hides a deletion).
  if (!existsSync(join(root, top))) return;
  const tracked = await git.run(['ls-files', '-z', '--', `:(literal)${top}`]);
  const first = tracked.stdout.split('\0').find((path) => path !== '');
  if (tracked.exit_code === 0 && first !== undefined) {
    throw new AutopackError(`The runs dir ${rel} would hide tracked files (${first} is tracked): autopack keeps its runs dir out of git status`, {
      hint: 'choose a runs dir outside tracked folders (--runs-dir, AUTONOMOUS_RUNS_DIR or runs_dir in the config)',
    });
  }
}

/** A repository as every command sees it, before any detector or action is loaded. */
export interface OpenedRepository {
  root: string;
  git: Git;
  repo: RepoState;
  config: LoadedConfig;
  projectId: string;
  runsDir: string;
  subfolder?: string;
  movedUpFrom?: string;
}

/**
 * The rules every command shares: the folder (moved up to the repository's top level), the
 * config, the project id and the runs dir (never a tracked folder). Writes nothing and loads no
 * plugin: the supervisor, which runs no detector itself, stops here.
 */
export async function openRepository(options: Omit<WorkspaceOptions, 'runId'>): Promise<OpenedRepository> {
  const located = await locateWorkspace(options);
  const { root, git, repo } = located;
  const config = await loadConfig({ workspace: root, cwd: options.cwd, explicitPath: options.configPath });
  const projectId = assertSafeId('project_id', options.projectId ?? config.config.project_id ?? sanitizeProjectId(basename(root)));
  const runsDir = resolveRunsDir({
    workspace: root,
    cwd: options.cwd,
    flag: options.runsDir,
    env: options.env.AUTONOMOUS_RUNS_DIR,
    config: config.config.runs_dir,
  }).path;
  await refuseTrackedRunsDir(git, repo, root, runsDir);
  return {
    root,
    git,
    repo,
    config,
    projectId,
    runsDir,
    ...(located.subfolder ? { subfolder: located.subfolder } : {}),
    ...(located.movedUpFrom ? { movedUpFrom: located.movedUpFrom } : {}),
  };
}

/**
 * Opens a workspace: validates the folder, reads the config, loads the registry (built-ins
 * and configured plugins), resolves ids and the run directory. Writes nothing.
 */
export async function openWorkspace(options: WorkspaceOptions): Promise<Workspace> {
  const located = await openRepository(options);
  const { root, git, repo, config, projectId, runsDir } = located;
  const configDisplay = config.path ? relative(options.cwd, config.path) || config.path : undefined;
  const skipPlugins = options.loadPlugins === false && (config.config.plugins ?? []).length > 0;
  const registry = await loadRegistry({
    plugins: skipPlugins
      ? []
      : (config.config.plugins ?? []).map((specifier) => ({ specifier, baseDir: config.baseDir, workspaceRoot: root, ...(options.configPath ? {} : { confineTo: repo.topLevel ?? root }) })),
    ...(options.definitions ? { definitions: options.definitions } : {}),
  });
  const notes: string[] = [];
  if (skipPlugins) notes.push(`config plugins not loaded (no repository code runs): ${(config.config.plugins ?? []).join(', ')}`);
  // Code from outside the workspace is named where it came from: a linked package is the owner's choice, not a secret.
  for (const plugin of registry.plugins) if (plugin.linkedFromOutside) notes.push(`plugin ${plugin.specifier} loaded from ${plugin.file} (linked into node_modules from outside the workspace)`);
  const plans = await resolveDetectorPlans(config, registry, configDisplay ?? 'config', { ignoreUnknown: skipPlugins });
  const runId = assertSafeId('run_id', options.runId ?? 'local');
  const checks = new Map<string, Promise<readonly CheckSpec[]>>();
  const checksOf = (detectorId: string) => {
    let resolved = checks.get(detectorId);
    if (!resolved) {
      resolved = plans.get(detectorId).then((plan) =>
        resolveChecks(plan.detector, {
          root,
          env: options.env,
          configured: config.config.checks ?? {},
          options: plan.options,
          inHead: async (paths) => (repo.hasCommits ? treeHas(git, paths) : new Set()),
          plugin: registry.detectors.get(detectorId)?.plugin,
        }),
      );
      checks.set(detectorId, resolved);
    }
    return resolved;
  };
  return {
    root,
    cwd: options.cwd,
    env: options.env,
    config,
    configDisplay,
    registry,
    notes,
    plans,
    checksOf,
    projectId,
    runId,
    runsDir,
    runDir: runBaseDir(runsDir, projectId, runId),
    git,
    repo,
    ...(located.subfolder ? { subfolder: located.subfolder } : {}),
    ...(located.movedUpFrom ? { movedUpFrom: located.movedUpFrom } : {}),
    ...(skipPlugins ? { pluginsNotLoaded: [...(config.config.plugins ?? [])] } : {}),
    clock: options.clock ?? systemClock,
    logger: options.logger ?? silentLogger,
    ...(options.siblingRefs ? { siblingRefs: options.siblingRefs } : {}),
  };
}
