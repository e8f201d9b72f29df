import { rerunCheckBehindGap } from '../lib/autopilot/rerun-check.ts';
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
    const rerun = await rerunCheckBehindGap(ctx, action);
    if (rerun.done) return rerun.outcome;
    const { result, resolved } = rerun;
    return {
      success: true,
      verdict: resolved ? 'resolved' : 'still_present',
      summary: `${result.command} exited ${result.exit_code}${resolved ? ': the gap is resolved' : ': the gap is still present'}`,
      check: result,
    };
  },
});
