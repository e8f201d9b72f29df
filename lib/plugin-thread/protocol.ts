// What passes between a command and the thread that runs one configured plugin (a detector, an
// action handler, or only its import): plain data (structured clone). The thread asks for what
// the plugin's context serves (the file list, git, status, checks, writes under the run dir);
// the command answers each call once, with its own guarded implementation.
import type { CheckSpec } from '../contracts/config.ts';
import type { Gap } from '../contracts/gap-report.ts';
import type { Action } from '../contracts/plan-proposal.ts';
import type { RepoState } from '../git/types.ts';
import type { PluginRequest } from '../registry/load.ts';

/** A detector's thread: what its context holds as plain data. */
export interface DetectorThreadData {
  kind: 'detector';
  plugin: PluginRequest;
  detectorId: string;
  root: string;
  runsDir: string;
  scope: 'full' | 'staged' | 'since' | 'files';
  changes?: Array<[string, 'added' | 'modified']>;
  repo: RepoState;
  env: Readonly<Record<string, string | undefined>>;
  options: unknown;
  checks: readonly CheckSpec[];
  protectedPaths: readonly string[];
  exclude: readonly string[];
  /** The pinned time (SOURCE_DATE_EPOCH, a test clock), in ms; absent for the system clock. */
  fixedNow?: number;
  /** The detector's cached value and its key, read up front (the context's `cache.read` is synchronous). */
  cache?: { key: string; value: unknown };
}

/** An action handler's thread. */
export interface ActionThreadData {
  kind: 'action';
  plugin: PluginRequest;
  actionId: string;
  root: string;
  runDir: string;
  env: Readonly<Record<string, string | undefined>>;
  gaps: readonly Gap[];
  action: Action;
  fixedNow?: number;
}

/** A detector's thread that only finds its default checks (before a scan, for a scan or a session). */
export interface ChecksThreadData {
  kind: 'checks';
  plugin: PluginRequest;
  detectorId: string;
  root: string;
  env: Readonly<Record<string, string | undefined>>;
  options: unknown;
}

/** One of a configured detector's functions the command needs outside a scan (parsing its options, wording its remediation). */
export type DetectorFunctionCall =
  | { fn: 'options'; raw: unknown }
  | { fn: 'remediation'; index: number; gap: Gap; tracked: Array<[string, boolean | undefined]> };

export type DetectorFunctionResult =
  | { ok: true; value: unknown }
  | { ok: false; issues: Array<{ path: string; message: string }> }
  | { command?: string; rollback?: string };

/** A detector's thread that evaluates a batch of its functions. */
export interface DetectorFunctionsThreadData {
  kind: 'functions';
  plugin: PluginRequest;
  detectorId: string;
  calls: DetectorFunctionCall[];
}

/** A thread that only imports the configured plugins, to learn that their top level finishes. */
export interface ImportThreadData {
  kind: 'import';
  plugins: readonly PluginRequest[];
}

export type ThreadData = DetectorThreadData | ChecksThreadData | DetectorFunctionsThreadData | ActionThreadData | ImportThreadData;

export type ToThread = { type: 'run'; phase: string } | { type: 'reply'; id: number; ok: true; value: unknown } | { type: 'reply'; id: number; ok: false; message: string; name?: string };

export type FromThread =
  | { type: 'call'; id: number; method: string; args: unknown[] }
  | { type: 'note'; message: string }
  | { type: 'output'; text: string }
  | { type: 'log'; level: 'info' | 'warn' | 'error' | 'debug' | 'success'; message: string }
  | { type: 'done'; phase: string; value: unknown }
  | { type: 'threw'; phase: string; message: string; name?: string; stack?: string };

/** A changed file of a partial scan as the thread's inspector reads it (the scan read it from the index). */
export interface ChangedFile {
  path: string;
  size: number;
  bytes?: Uint8Array;
}
