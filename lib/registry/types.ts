// The plugin contract: what a detector or an action handler declares, and what it gets to work
// with. Only plain data and Uint8Array cross it, so a plugin type-checks without Node's types.
import type * as v from 'valibot';
import type { Effect, RiskLevel } from '../contracts/common.ts';
import type { CheckSpec } from '../contracts/config.ts';
import type { CommandEvidence, Gap, GapLocation, GapReportV1 } from '../contracts/gap-report.ts';
import type { Action } from '../contracts/plan-proposal.ts';
import type { GitReader, RepoState, StatusEntry } from '../git/types.ts';
import type { CheckResult } from '../runner/run-check.ts';
import type { Clock } from '../util/clock.ts';
import type { Logger } from '../util/logger.ts';

/**
 * How one kind of finding is worded. `{name}` placeholders are filled from the finding's params;
 * every placeholder the texts use must be listed in `params`, or the plugin does not load.
 */
export interface DetectorMessage {
  title: string;
  /** The placeholders its texts use, each of which every finding of this message must give in `params`. */
  params?: string[];
  description?: string;
  signals?: string[];
  /** The approach a human (or a plan) takes to fix it: `safe_remediation.approach`. */
  remediation?: string;
  /** Overrides the detector's default risk for this kind of finding. */
  risk?: RiskLevel;
  blocks_autopilot?: boolean;
}

/** What a detector reports: data only. Wording comes from its declared messages. */
export interface Finding {
  /** Key into the detector's `messages`; defaults to the first one. */
  message?: string;
  /**
   * Inputs of the gap id: workspace-relative POSIX paths or stable keys. Sorted and deduplicated
   * for the id. Default: the sorted `evidence.file_paths`, then `message:<message id>`.
   */
  inputs?: string[];
  /** Values for the message placeholders. */
  params?: Record<string, string | number>;
  evidence?: {
    file_paths?: string[];
    test_names?: string[];
    command_evidence?: CommandEvidence;
    /** Lines in files, when the detector knows them (for SARIF, GitHub annotations, editors). */
    locations?: GapLocation[];
  };
  /** Extra detection signals after the message's own. */
  signals?: string[];
  risk?: RiskLevel;
  blocks_autopilot?: boolean;
  estimated_actions?: number;
}

/** Facts about the workspace the planner looks up once, for remediation commands and rollbacks. */
export interface PlanFacts {
  /** Whether git tracks the path; undefined when it cannot tell (no repository). */
  tracked(path: string): boolean | undefined;
}

/**
 * An action the planner proposes for a detector's gaps. The command and the rollback are
 * suggestions shown to a human; autopack never runs them.
 */
export interface RemediationSpec {
  action_type: Action['action_type'];
  /** `{title}` is the gap's title. */
  title: string;
  description: string;
  /** 0–1. At 0.8 and above an action is blocked outright. */
  risk_score: number;
  risk_factors?: string[];
  cost?: { tokens?: number; time_seconds?: number };
  /** Only for gaps of these messages (default: every message of the detector). */
  messages?: string[];
  command?(gap: Gap, facts: PlanFacts): string | undefined;
  /** A command that really undoes the action; omit it when no such command exists. */
  rollback?(gap: Gap, facts: PlanFacts): string | undefined;
}

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

export interface DetectorDefinition<TOptions = unknown, TVerdict = unknown> {
  /** snake_case id; a built-in's file is `detectors/<id with - for _>.ts`. */
  id: string;
  /** The gap type of its findings (snake_case); default: the id. */
  gap_type?: string;
  title: string;
  /** Default: the title. */
  description?: string;
  /** `repo`: looks at repository state; `files`: judges files one by one. Default `repo`. */
  scope?: 'repo' | 'files';
  /**
   * Whether it can judge a partial scan (`--staged`, `--since`, `--files`: only the changed files).
   * Default: true for `files` detectors, false for `repo` ones (they are skipped, with a note).
   */
  partial?: boolean;
  /** Default: medium, does not block autopilot. */
  default?: { risk?: RiskLevel; blocks_autopilot?: boolean };
  /** The wording of its findings, by message id; default: one message from the title and description. */
  messages?: Record<string, DetectorMessage>;
  /** valibot schema of `detectors.<id>.options`; its defaults apply when unset. */
  options?: v.GenericSchema<unknown, TOptions>;
  /** True when the detector consumes `checks.<id>` from the config. */
  accepts_checks?: boolean;
  /** The mechanical checks it runs when the config names none (found in the workspace). */
  defaultChecks?(ctx: CheckDiscoveryContext<TOptions>): CheckSpec[] | Promise<CheckSpec[]>;
  /** What the planner proposes for its gaps; default: one manual `custom` action. */
  remediation?: RemediationSpec[];
  /** A per-file check run in the scanner's single pass over the files. */
  inspect?: FileInspector<TOptions, TVerdict>;
  /** Return false or a reason string to skip the detector (the reason goes to the report metadata). */
  isEnabled?(ctx: DetectorContext<TOptions, TVerdict>): boolean | string | Promise<boolean | string>;
  detect(ctx: DetectorContext<TOptions, TVerdict>): Finding[] | Promise<Finding[]>;
}

/** A message with every default filled in. */
export type ResolvedMessage = Required<Pick<DetectorMessage, 'title' | 'description' | 'signals' | 'remediation' | 'params'>> &
  Pick<DetectorMessage, 'risk' | 'blocks_autopilot'>;

/** A detector as the registry holds it: every optional field resolved to its default. */
export interface ResolvedDetector<TOptions = any, TVerdict = any>
  extends Omit<DetectorDefinition<TOptions, TVerdict>, 'gap_type' | 'description' | 'scope' | 'partial' | 'default' | 'messages' | 'remediation'> {
  gap_type: string;
  description: string;
  scope: 'repo' | 'files';
  partial: boolean;
  default: { risk: RiskLevel; blocks_autopilot: boolean };
  messages: Record<string, ResolvedMessage>;
  remediation: RemediationSpec[];
}

/** What an action handler reports after running. */
export interface ActionOutcome {
  /** The handler did its job (a verification that finds the gap still there still succeeded). */
  success: boolean;
  summary: string;
  /** For verifications: is the gap gone? */
  verdict?: 'resolved' | 'still_present' | 'inconclusive';
  /** Evidence of a check the handler ran. */
  check?: CheckResult;
  /** Files it wrote, relative to the run directory. */
  written?: string[];
  error?: string;
}

export interface ActionContext {
  readonly root: string;
  /** Absolute run directory; the only place a `run_local_write` handler may write. */
  readonly runDir: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The gaps this action targets, from the report its plan was made from. */
  readonly gaps: readonly Gap[];
  /** The configured (or default) mechanical checks of a detector: trusted argv from the config, never from a report. */
  checks(detectorId: string): Promise<readonly CheckSpec[]>;
  runCheck(check: { id: string; argv: readonly string[]; cwd?: string; timeoutMs?: number }): Promise<CheckResult>;
  /** Re-runs the detectors behind these gaps (read-only) and returns their fresh report. */
  rescan(gaps: readonly Gap[]): Promise<GapReportV1>;
  /** Writes a file under the run directory (atomic); refuses any path that escapes it. */
  writeRunFile(relativePath: string, content: string): Promise<string>;
}

export interface ActionDefinition {
  /** snake_case id; the file is `actions/<id with - for _>.ts`. */
  id: string;
  title: string;
  description: string;
  /** Plan action types this handler can execute. */
  action_types: Action['action_type'][];
  /** Everything the handler may do. Only `read_only` / `run_local_write` can ever be auto-approved. */
  effects: Effect[];
  /** For `verify` handlers: the gap types it can verify (`*` for any). The planner binds the most specific one. */
  verifies?: string[];
  run(ctx: ActionContext, action: Action): Promise<ActionOutcome>;
}

/** Identity helper that gives a detector plugin its types. */
export function defineDetector<TOptions = unknown, TVerdict = unknown>(
  definition: DetectorDefinition<TOptions, TVerdict>,
): DetectorDefinition<TOptions, TVerdict> {
  return definition;
}

/** Identity helper that gives an action handler plugin its types. */
export function defineAction(definition: ActionDefinition): ActionDefinition {
  return definition;
}

export type AnyDetector = ResolvedDetector<any, any>;
