import type * as v from 'valibot';
import type { Effect, RiskLevel } from '../contracts/common.ts';
import type { CheckSpec } from '../contracts/config.ts';
import type { CommandEvidence, Gap, GapReportV1 } from '../contracts/gap-report.ts';
import type { Action } from '../contracts/plan-proposal.ts';
import type { Git, RepoState } from '../git/git.ts';
import type { StatusEntry } from '../git/status.ts';
import type { CheckResult } from '../runner/run-check.ts';
import type { Clock } from '../util/clock.ts';
import type { Logger } from '../util/logger.ts';

/** How one kind of finding is worded. `{name}` placeholders are filled from the finding's params. */
export interface DetectorMessage {
  title: string;
  description: string;
  signals: string[];
  remediation: string;
  /** Overrides the detector's default risk for this kind of finding. */
  risk?: RiskLevel;
  blocks_autopilot?: boolean;
}

/** What a detector reports: data only. Wording comes from its declared messages. */
export interface Finding {
  /** Key into the detector's `messages`; defaults to the first one. */
  message?: string;
  /** Inputs of the gap id: workspace-relative POSIX paths or stable keys. Sorted and deduplicated for the id. */
  inputs: string[];
  /** Values for the message placeholders. */
  params?: Record<string, string | number>;
  evidence?: {
    file_paths?: string[];
    test_names?: string[];
    command_evidence?: CommandEvidence;
  };
  /** Extra detection signals after the message's own. */
  signals?: string[];
  risk?: RiskLevel;
  blocks_autopilot?: boolean;
  estimated_actions?: number;
}

export interface FileInfo {
  path: string;
  size: number;
  mtimeMs: number;
}

/** Everything a detector may use. Detectors are read-only: they never write to the workspace. */
export interface DetectorContext<TOptions = unknown> {
  /** Absolute workspace root. */
  readonly root: string;
  /** Absolute runs dir (it may lie outside the workspace). */
  readonly runsDir: string;
  readonly git: Git;
  readonly repo: RepoState;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Environment for mechanical checks. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** This detector's options, validated against its schema, defaults applied. */
  readonly options: TOptions;
  /** Options of another detector (for shared settings such as the root allowlist). */
  optionsOf(detectorId: string): unknown;
  /** Configured mechanical checks for this detector (`checks.<id>` in the config). */
  readonly checks: readonly CheckSpec[] | undefined;
  /** Protected paths from the config (and the anchor, when one is given). */
  readonly protectedPaths: readonly string[];
  /** Tracked and untracked (not ignored) files, workspace-relative POSIX, sorted, vendor/build/run dirs removed. */
  files(): Promise<readonly string[]>;
  /** Size and mtime of a listed regular file; undefined for symlinks, folders and vanished files. */
  stat(path: string): Promise<FileInfo | undefined>;
  /** Bytes of a workspace file, never following a symlink; undefined when unreadable. */
  readFile(path: string): Promise<Buffer | undefined>;
  /** `git status` entries relative to the workspace (renames split). */
  status(): Promise<{ ok: boolean; entries: readonly StatusEntry[]; error?: string }>;
  /** Runs a mechanical check (argv only) and returns its evidence. */
  runCheck(check: { id: string; argv: readonly string[]; cwd?: string; timeoutMs?: number }): Promise<CheckResult>;
  /** Records a note in the report metadata (why something was skipped, for instance). */
  note(message: string): void;
}

export interface DetectorDefinition<TOptions = unknown> {
  /** snake_case id; the file is `detectors/<id with - for _>.ts`. */
  id: string;
  /** The gap type of its findings (snake_case). */
  gap_type: string;
  title: string;
  description: string;
  /** `repo`: looks at repository state; `files`: looks at the file list. */
  scope: 'repo' | 'files';
  default: { risk: RiskLevel; blocks_autopilot: boolean };
  messages: Record<string, DetectorMessage>;
  /** valibot schema of `detectors.<id>.options`; its defaults apply when unset. */
  options?: v.GenericSchema<unknown, TOptions>;
  /** True when the detector consumes `checks.<id>` from the config. */
  accepts_checks?: boolean;
  /** Return false or a reason string to skip the detector (the reason goes to the report metadata). */
  isEnabled?(ctx: DetectorContext<TOptions>): boolean | string | Promise<boolean | string>;
  detect(ctx: DetectorContext<TOptions>): Finding[] | Promise<Finding[]>;
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
  checks(detectorId: string): readonly CheckSpec[];
  runCheck(check: { id: string; argv: readonly string[]; cwd?: string; timeoutMs?: number }): Promise<CheckResult>;
  /** Re-runs the detectors of these gap types (read-only) and returns their fresh report. */
  rescan(gapTypes: readonly string[]): Promise<GapReportV1>;
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
export function defineDetector<TOptions = unknown>(definition: DetectorDefinition<TOptions>): DetectorDefinition<TOptions> {
  return definition;
}

/** Identity helper that gives an action handler plugin its types. */
export function defineAction(definition: ActionDefinition): ActionDefinition {
  return definition;
}

export type AnyDetector = DetectorDefinition<any>;
