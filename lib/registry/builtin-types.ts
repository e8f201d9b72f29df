import type { Effect } from '../contracts/common.ts';
import type { Action } from '../contracts/plan-proposal.ts';

/** A built-in detector as the generated index knows it, without importing it. */
export interface BuiltinDetectorEntry {
  id: string;
  gap_type: string;
  scope: 'repo' | 'files';
  /** Whether it judges partial scans (`--staged`, `--since`, `--files`); the others are skipped without being imported. */
  partial: boolean;
  /** Where it came from, for messages: `detectors/root-clutter` or the configured specifier. */
  source: string;
  load(): Promise<unknown>;
}

/** A built-in action handler as the generated index knows it: enough to plan with. */
export interface BuiltinActionEntry {
  id: string;
  title: string;
  description: string;
  action_types: readonly Action['action_type'][];
  effects: readonly Effect[];
  verifies?: readonly string[];
  source: string;
  load(): Promise<unknown>;
}

/** A reporter module, imported when a command prints in its format (lib/report/types.ts: Reporter or RichReporter). */
export type ReporterLoader = () => Promise<{ default: (value: never, context: never) => unknown }>;

/** Reporters by kind of output (`gap-report`) and format (`text`). */
export type BuiltinReporters = Record<string, Record<string, ReporterLoader>>;
