// The git types a plugin sees (the detector context carries a GitReader): plain data and
// promises only, so that the plugin contract type-checks without Node's types.

export interface GitResult {
  exit_code: number;
  stdout: string;
  stderr: string;
  /** Set when git could not run at all (missing binary, timeout, spawn failure). */
  error?: string;
  timed_out?: boolean;
}

export interface RepoState {
  /** The git binary could be started. */
  gitAvailable: boolean;
  /** The workspace lies inside a git work tree. */
  isRepo: boolean;
  /** HEAD resolves to a commit (false on an unborn branch). */
  hasCommits: boolean;
  topLevel?: string;
  /** The workspace's path below the top level, with a trailing slash, or ''. */
  prefix: string;
  /** Absolute path of the git dir (per worktree). */
  gitDir?: string;
  /** `git rev-parse HEAD`, when HEAD resolves to a commit. */
  head?: string;
  /** Why the workspace is not usable as a repository, when it is not. */
  reason?: string;
}

export interface GitRunOptions {
  timeoutMs?: number;
}

/** What a plugin sees of git: argv-only reads and the repository facts. No Node types cross it. */
export interface GitReader {
  readonly root: string;
  run(args: readonly string[], options?: GitRunOptions): Promise<GitResult>;
  /** Memoised: the repository facts every detector needs. */
  repoState(): Promise<RepoState>;
}

export interface StatusEntry {
  /** Index (staged) status letter. */
  x: string;
  /** Work-tree status letter. */
  y: string;
  /** Path relative to the workspace, unquoted. An untracked folder git did not descend into ends with `/`. */
  path: string;
  /** For renames and copies: the original path. */
  origPath?: string;
}

export interface StatusResult {
  ok: boolean;
  /** `git status --porcelain` exactly as git printed it (the workspace digest hashes it). */
  text: string;
  entries: StatusEntry[];
  error?: string;
  /** git could not run at all (missing, timed out): the digest is then the sentinel. */
  unavailable?: boolean;
}
