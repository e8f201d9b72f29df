import { defineAction } from '../lib/registry/types.ts';

/**
 * Re-runs the detectors behind a gap (read-only, like every detector) and reports whether
 * the gap is still there. Verifies any gap type that has a registered detector.
 */
export default defineAction({
  id: 'rescan_gap',
  title: 'Re-run the detector',
  description: 'Re-runs the detector that found the gap and reports whether the same gap is still present',
  action_types: ['verify'],
  effects: ['read_only'],
  verifies: ['*'],
  async run(ctx, action) {
    if (ctx.gaps.length === 0) return { success: false, summary: 'no target gap', error: `${action.action_id} names no gap of the report` };
    const report = await ctx.rescan(ctx.gaps);
    const present = new Set(report.gaps.map((gap) => gap.gap_id));
    const still = ctx.gaps.filter((gap) => present.has(gap.gap_id));
    return {
      success: true,
      verdict: still.length > 0 ? 'still_present' : 'resolved',
      summary: still.length > 0 ? `still present: ${still.map((gap) => gap.gap_id).join(', ')}` : `resolved: ${ctx.gaps.map((gap) => gap.gap_id).join(', ')}`,
    };
  },
});
