import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
import type { GitReader, GitResult, GitRunOptions, RepoState } from './types.ts';

export type { GitReader, GitResult, GitRunOptions, RepoState } from './types.ts';

/** The git client autopack uses internally: a reader plus streaming processes. */
export interface Git extends GitReader {
  /** A git process with its pipes, for streaming (`cat-file --batch`); same environment and settings as `run`. */
  spawn(args: readonly string[]): ChildProcessWithoutNullStreams;
}

export interface CreateGitOptions {
  root: string;
  env: Record<string, string | undefined>;
  /** The git program; `PATH` lookup applies. */
  bin?: string;
  timeoutMs?: number;
  /** The repository facts when already probed (from a folder below, say): no second probe. */
  knownState?: RepoState;
}

const MAX_BUFFER = 512 * 1024 * 1024;

/** How long a git read may take by default: a hung git (or a wrapper that sleeps) costs seconds, not a minute. */
export const DEFAULT_GIT_TIMEOUT_MS = 10_000;

/**
 * Settings that keep a repository's own configuration from running programs while autopack only
 * reads: no fsmonitor daemon or hook program (`core.fsmonitor` can name any command), no hooks
 * (worktree checkouts would run `post-checkout`).
 */
const NEUTRAL_CONFIG: Array<[key: string, value: string]> = [
  ['core.fsmonitor', 'false'],
  ['core.hooksPath', '/dev/null'],
];

/** Adds config through GIT_CONFIG_COUNT/KEY/VALUE, after whatever the caller's environment already sets that way. */
function withNeutralConfig(env: Record<string, string>): void {
  let count = Number.parseInt(env.GIT_CONFIG_COUNT ?? '0', 10);
  if (!Number.isInteger(count) || count < 0) count = 0;
  for (const [key, value] of NEUTRAL_CONFIG) {
    env[`GIT_CONFIG_KEY_${count}`] = key;
    env[`GIT_CONFIG_VALUE_${count}`] = value;
    count += 1;
  }
  env.GIT_CONFIG_COUNT = String(count);
}

/**
 * A thin argv-only git client. Every call runs with `GIT_OPTIONAL_LOCKS=0` so that reads
 * such as `git status` never take the index lock or rewrite the index: a scan must leave
 * the repository exactly as it found it. Calls are bounded by a timeout and run with the
 * repository's command hooks switched off.
 */
export function createGit(options: CreateGitOptions): Git {
  const root = resolve(options.root);
  const bin = options.bin ?? 'git';
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.env)) if (value !== undefined) env[key] = value;
  env.GIT_OPTIONAL_LOCKS = '0';
  env.GIT_TERMINAL_PROMPT = '0';
  env.LC_ALL = 'C';
  withNeutralConfig(env);
  const defaultTimeout = options.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS;

  const run = (args: readonly string[], runOptions: GitRunOptions = {}): Promise<GitResult> =>
    new Promise((done) => {
      const timeout = runOptions.timeoutMs ?? defaultTimeout;
      execFile(
        bin,
        [...args],
        { cwd: root, env, maxBuffer: MAX_BUFFER, timeout, killSignal: 'SIGKILL', encoding: 'utf8', windowsHide: true },
        (error, stdout, stderr) => {
          if (!error) return done({ exit_code: 0, stdout, stderr });
          const spawnError = error as NodeJS.ErrnoException & { killed?: boolean; code?: number | string };
          if (typeof spawnError.code === 'number') return done({ exit_code: spawnError.code, stdout, stderr });
          if (spawnError.killed) {
            return done({ exit_code: -1, stdout, stderr, timed_out: true, error: `git ${args[0]} timed out after ${timeout} ms` });
          }
          const reason = spawnError.code === 'ENOENT' ? `Program not found: ${bin}` : spawnError.message;
          done({ exit_code: -1, stdout, stderr, error: reason });
        },
      );
    });

  let state: Promise<RepoState> | undefined = options.knownState ? Promise.resolve(options.knownState) : undefined;
  const repoState = () => (state ??= probeRepo(run));
  const spawnGit = (args: readonly string[]) => spawn(bin, [...args], { cwd: root, env, windowsHide: true, stdio: 'pipe' });
  return { root, run, spawn: spawnGit, repoState };
}

/** One `git rev-parse` for every repository fact, HEAD included (it fails, printing `HEAD`, on an unborn branch). */
async function probeRepo(run: Git['run']): Promise<RepoState> {
  const probe = await run(['rev-parse', '--is-inside-work-tree', '--show-toplevel', '--show-prefix', '--absolute-git-dir', 'HEAD']);
  if (probe.error) return { gitAvailable: false, isRepo: false, hasCommits: false, prefix: '', reason: probe.error };
  const lines = probe.stdout.split('\n');
  if (lines[0] !== 'true' || lines.length < 4) {
    const reason = probe.stderr.trim().split('\n')[0] || 'not inside a git work tree';
    return { gitAvailable: true, isRepo: false, hasCommits: false, prefix: '', reason };
  }
  const head = probe.exit_code === 0 && /^[0-9a-f]{40,64}$/.test(lines[4] ?? '') ? lines[4] : undefined;
  return {
    gitAvailable: true,
    isRepo: true,
    hasCommits: head !== undefined,
    topLevel: lines[1],
    prefix: lines[2] ?? '',
    gitDir: lines[3],
    ...(head ? { head } : {}),
  };
}
