// The action handler half of the plugin contract: what a handler declares, the context it runs
// with, and what it reports. Plain data and promises only, like the detector half.
import type { Effect } from '../contracts/common.ts';
import type { CheckSpec } from '../contracts/config.ts';
import type { Gap, GapReportV1 } from '../contracts/gap-report.ts';
import type { Action } from '../contracts/plan-proposal.ts';
import type { CheckResult } from '../runner/run-check.ts';
import type { Clock } from '../util/clock.ts';
import type { Logger } from '../util/logger.ts';

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

/** Identity helper that gives an action handler plugin its types. */
export function defineAction(definition: ActionDefinition): ActionDefinition {
  return definition;
}
