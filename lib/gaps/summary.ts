import { RISK_RANK, type RiskLevel } from '../contracts/common.ts';
import type { FailOn } from '../contracts/config.ts';
import type { Gap, GapSummary } from '../contracts/gap-report.ts';
import { compareCodePoints } from '../util/sort.ts';

export function summarizeGaps(gaps: readonly Gap[]): Required<GapSummary> {
  const count = (level: RiskLevel) => gaps.filter((gap) => gap.risk_classification === level).length;
  return {
    total_gaps: gaps.length,
    critical_gaps: count('critical'),
    high_gaps: count('high'),
    medium_gaps: count('medium'),
    low_gaps: count('low'),
    autopilot_blockers: gaps.filter((gap) => gap.blocks_autopilot).length,
  };
}

export interface RankedGap {
  gap: Gap;
  detectorId: string;
}

/** Stable severity sort, then detector id, then gap id: the same order for the same findings. */
export function sortGaps(ranked: readonly RankedGap[]): Gap[] {
  return [...ranked]
    .sort(
      (a, b) =>
        RISK_RANK[a.gap.risk_classification] - RISK_RANK[b.gap.risk_classification] ||
        compareCodePoints(a.detectorId, b.detectorId) ||
        compareCodePoints(a.gap.gap_id, b.gap.gap_id),
    )
    .map((entry) => entry.gap);
}

/** True when the report should make the CLI exit 1 under `--fail-on`. */
export function failsOn(gaps: readonly Gap[], level: FailOn): boolean {
  if (level === 'never') return false;
  if (level === 'blocker') return gaps.some((gap) => gap.blocks_autopilot);
  const threshold = RISK_RANK[level];
  return gaps.some((gap) => RISK_RANK[gap.risk_classification] <= threshold);
}
