import { join } from 'node:path';
import type { Gap, GapReportV1 } from '../contracts/gap-report.ts';
import { legacyReportId } from './ids.ts';

/**
 * Holds the line: every gap is still reported, marked `new` or `unchanged` against an earlier
 * report. Gap ids are content hashes of what a detector found, so a gap whose evidence changed
 * (one more file, another check output) is a new gap.
 */
export function compareWithBaseline(report: GapReportV1, baseline: GapReportV1): GapReportV1 {
  const known = new Set(baseline.gaps.map((gap) => gap.gap_id));
  const gaps: Gap[] = report.gaps.map((gap) => ({ ...gap, baseline_state: known.has(gap.gap_id) ? 'unchanged' : 'new' }));
  return {
    ...report,
    gaps,
    metadata: {
      ...report.metadata,
      baseline: {
        report_id: baseline.report_id ?? legacyReportId(baseline.workspace_state_digest),
        gaps: baseline.gaps.length,
        new_gaps: gaps.filter((gap) => gap.baseline_state === 'new').length,
      },
    },
  };
}

/** The gaps that decide the exit code: all of them, or with a baseline only the new ones. */
export function decidingGaps(report: GapReportV1): Gap[] {
  return report.metadata?.baseline ? report.gaps.filter((gap) => gap.baseline_state === 'new') : report.gaps;
}

/** Where `gaps baseline --write` records the baseline: one stable path per project, whatever the run id. */
export function baselinePath(runsDir: string, projectId: string): string {
  return join(runsDir, projectId, 'baseline', 'gap_report_v1.json');
}
