import { checkOutcome } from '../lib/gaps/default-checks.ts';
import { gapId } from '../lib/gaps/ids.ts';
import { defineAction } from '../lib/registry/types.ts';

/**
 * Re-runs the mechanical check behind a doc_drift gap and records its evidence. The argv
 * comes from the config (or the defaults found in the workspace), matched to the gap by its
 * id: never from the report, which is just a file anyone could have edited.
 */
export default defineAction({
  id: 'rerun_check',
  title: 'Re-run the mechanical check',
  description: 'Re-runs the documentation check that reported the gap and records its exit code and output hashes',
  action_types: ['verify'],
  effects: ['read_only'],
  verifies: ['doc_drift'],
  async run(ctx, action) {
    const gap = ctx.gaps[0];
    if (!gap) return { success: false, summary: 'no target gap', error: `${action.action_id} names no gap of the report` };
    const check = ctx.checks('doc_drift').find((candidate) => gapId('doc_drift', [candidate.id]) === gap.gap_id);
    if (!check) {
      return { success: true, verdict: 'inconclusive', summary: `no configured check produces ${gap.gap_id} any more` };
    }
    const result = await ctx.runCheck({
      id: check.id,
      argv: check.run,
      ...(check.cwd ? { cwd: check.cwd } : {}),
      timeoutMs: (check.timeout_s ?? 60) * 1000,
    });
    const resolved = checkOutcome(check.run, result) === 'pass';
    return {
      success: true,
      verdict: resolved ? 'resolved' : 'still_present',
      summary: `${result.command} exited ${result.exit_code}${resolved ? ': the gap is resolved' : ': the gap is still present'}`,
      check: result,
    };
  },
});
