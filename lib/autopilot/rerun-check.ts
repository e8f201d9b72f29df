import type { CheckSpec } from '../contracts/config.ts';
import type { Action } from '../contracts/plan-proposal.ts';
import { checkBehindGap } from '../gaps/checks.ts';
import type { ActionContext, ActionOutcome } from '../registry/types.ts';
import { checkOutcome } from '../runner/check-outcome.ts';
import type { CheckResult } from '../runner/run-check.ts';

export type RerunResult =
  | { done: true; outcome: ActionOutcome }
  | { done: false; check: CheckSpec; result: CheckResult; resolved: boolean };

/**
 * Re-runs the mechanical check behind a gap. The check is found by the gap id among the checks
 * its detector runs here (configured, or the detector's defaults): trusted argv, never taken
 * from the report. `done` when there is nothing to run (no gap, no such check any more).
 */
export async function rerunCheckBehindGap(ctx: ActionContext, action: Action): Promise<RerunResult> {
  const gap = ctx.gaps[0];
  if (!gap) return { done: true, outcome: { success: false, summary: 'no target gap', error: `${action.action_id} names no gap of the report` } };
  // Reports written before gaps named their detector: a built-in detector's id is its gap type.
  const checks = await ctx.checks(gap.detector ?? gap.gap_type);
  const check = checkBehindGap(gap, gap.gap_type, checks);
  if (!check) return { done: true, outcome: { success: true, verdict: 'inconclusive', summary: `no configured check produces ${gap.gap_id} any more` } };
  const result = await ctx.runCheck({
    id: check.id,
    argv: check.run,
    ...(check.cwd ? { cwd: check.cwd } : {}),
    timeoutMs: (check.timeout_s ?? 60) * 1000,
  });
  return { done: false, check, result, resolved: checkOutcome(check.run, result) === 'pass' };
}
