// What a detector works with: its context (everything it may read, never a write), the file
// views its inspector gets, and what finding its default checks may use. Plain data, promises
// and Uint8Array only, so that a plugin type-checks without Node's types.
import type { CheckSpec } from '../contracts/config.ts';
import type { GitReader, RepoState, StatusEntry } from '../git/types.ts';
import type { CheckResult } from '../runner/run-check.ts';
import type { Clock } from '../util/clock.ts';
import type { Logger } from '../util/logger.ts';

/** A file as an inspector sees it: its size, and its bytes when the inspector asked for them. */
export interface FileView {
  path: string;
  size: number;
  /** The whole file (`read: 'all'`) or its first HEAD_BYTES (`'head'`); absent for `'none'`. */
  bytes?: Uint8Array;
  /** The bytes decoded as UTF-8 (invalid sequences become U+FFFD); undefined without bytes. */
  text(): string | undefined;
}

/**
 * A per-file check. The scanner reads each file at most once and hands it to every detector's
 * inspector that selected it, so N detectors looking at file contents cost one read.
 */
export interface FileInspector<TOptions = unknown, TVerdict = unknown> {
  /** Which listed files to look at (cheap: from the path alone). */
  select(path: string, options: TOptions): boolean;
  /** How much of a selected file to read, knowing its size. */
  read(size: number, options: TOptions): 'none' | 'head' | 'all';
  /** The verdict on one file, or undefined when it is fine. */
  inspect(file: FileView, options: TOptions): TVerdict | undefined;
}

export interface FileInfo {
  path: string;
  size: number;
  mtimeMs: number;
}

/** A value a detector keeps between scans, valid for one key (the state it was computed from). */
export interface DetectorCache {
  read(key: string): unknown;
  write(key: string, value: unknown): Promise<void>;
}

export interface Inspected<TVerdict> {
  path: string;
  verdict: TVerdict;
}

/** Everything a detector may use. Detectors are read-only: they never write to the workspace. */
export interface DetectorContext<TOptions = unknown, TVerdict = unknown> {
  /** Absolute workspace root. */
  readonly root: string;
  /** Absolute runs dir (it may lie outside the workspace). */
  readonly runsDir: string;
  /** What the scan looks at: everything, or only a change's files (`files()` then lists just those). */
  readonly scope: 'full' | 'staged' | 'since' | 'files';
  /** In a partial scan: how each file of the change changed. */
  readonly changes?: ReadonlyMap<string, 'added' | 'modified'>;
  /** Argv-only git reads in the workspace (bounded, the repository's hooks and fsmonitor off). */
  readonly git: GitReader;
  readonly repo: RepoState;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Environment for mechanical checks. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** This detector's options, validated against its schema, defaults applied. */
  readonly options: TOptions;
  /** The mechanical checks this detector runs: `checks.<id>` from the config, else its own defaults. */
  readonly checks: readonly CheckSpec[];
  /** Protected paths from the config (and the anchor, when one is given). */
  readonly protectedPaths: readonly string[];
  /** Remembers expensive verdicts between scans (under the runs dir, once it exists). */
  readonly cache: DetectorCache;
  /** Tracked and untracked (not ignored) files, workspace-relative POSIX, sorted, vendor/build/run dirs and the config's `exclude` removed. */
  files(): Promise<readonly string[]>;
  /** Whether the config's `exclude` globs leave a path out (for paths that do not come from `files()`). */
  excluded(path: string): boolean;
  /** What this detector's inspector found, in file order (empty without an inspector). */
  inspected(): Promise<ReadonlyArray<Inspected<TVerdict>>>;
  /** Size and mtime of a listed regular file; undefined for symlinks, folders and vanished files. */
  stat(path: string): Promise<FileInfo | undefined>;
  /** Bytes of a workspace file, never following a symlink; undefined when unreadable. */
  readFile(path: string): Promise<Uint8Array | undefined>;
  /** The same file decoded as UTF-8 (invalid sequences become U+FFFD); undefined when unreadable. */
  readText(path: string): Promise<string | undefined>;
  /** `git status` entries relative to the workspace (renames split). */
  status(): Promise<{ ok: boolean; entries: readonly StatusEntry[]; error?: string }>;
  /** Runs a mechanical check (argv only) and returns its evidence. */
  runCheck(check: { id: string; argv: readonly string[]; cwd?: string; timeoutMs?: number }): Promise<CheckResult>;
  /** Records a note in the report metadata (why something was skipped, for instance). */
  note(message: string): void;
}

/** What a detector needs to find its default checks. */
export interface CheckDiscoveryContext<TOptions = unknown> {
  readonly root: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly options: TOptions;
  /**
   * Which of these paths HEAD has (files, or folders with files): a check script that is committed
   * but missing from the working tree is a check that fails, never one that silently disappears.
   */
  inHead(paths: readonly string[]): Promise<ReadonlySet<string>>;
}
