// What passes between a scan and the thread that runs one configured plugin detector: plain
// data only (structured clone). The thread asks the scan for what the detector context serves
// (the file list, stats, reads, git, status, checks); the scan answers each call once.
import type { CheckSpec } from '../contracts/config.ts';
import type { RepoState } from '../git/types.ts';
import type { PluginRequest } from '../registry/load.ts';

export type PluginPhase = 'isEnabled' | 'detect';

export interface PluginThreadData {
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
  /** The scan's pinned time (SOURCE_DATE_EPOCH, a test clock), in ms; absent for the system clock. */
  fixedNow?: number;
  /** The detector's cached value and its key, read up front (the context's `cache.read` is synchronous). */
  cache?: { key: string; value: unknown };
}

/** The context methods the thread calls on the scan's side. */
export type PluginCall = 'files' | 'stat' | 'readFile' | 'status' | 'runCheck' | 'git.run' | 'cache.write' | 'changedFiles';

export type ToThread = { type: 'run'; phase: PluginPhase } | { type: 'reply'; id: number; ok: true; value: unknown } | { type: 'reply'; id: number; ok: false; message: string };

export type FromThread =
  | { type: 'call'; id: number; method: PluginCall; args: unknown[] }
  | { type: 'note'; message: string }
  | { type: 'output'; text: string }
  | { type: 'log'; level: 'info' | 'warn' | 'error' | 'debug' | 'success'; message: string }
  | { type: 'done'; phase: PluginPhase; value: unknown }
  | { type: 'threw'; phase: PluginPhase; message: string; stack?: string };

/** A changed file of a partial scan as the thread's inspector reads it (the scan read it from the index). */
export interface ChangedFile {
  path: string;
  size: number;
  bytes?: Uint8Array;
}
