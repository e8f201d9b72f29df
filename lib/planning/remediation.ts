import type { Gap } from '../contracts/gap-report.ts';
import type { Registry } from '../registry/load.ts';
import type { RemediationSpec } from '../registry/types.ts';

/**
 * A failed detector (`unknown`) is not something to fix mechanically: its only action is a
 * blocked manual review until the detector is fixed.
 */
const DETECTOR_FAILED: RemediationSpec = {
  action_type: 'custom',
  title: 'Manual review required: {title}',
  description: 'Unknown gap type: unknown',
  risk_score: 1.0,
  risk_factors: ['Unknown gap type', 'Manual intervention required'],
};

/** A detector that declares no remediation: a human decides. */
function manual(gap: Gap): RemediationSpec {
  return {
    action_type: 'custom',
    title: 'Manual remediation: {title}',
    description: `Remediate the ${gap.gap_type} gap: ${gap.safe_remediation?.approach ?? 'see its description'}`,
    risk_score: 0.5,
    risk_factors: ['Its detector declares no remediation'],
  };
}

/** The detector behind a gap: the one it names, else (reports that name none) the one of its gap type. */
export function detectorIdOf(gap: Gap, registry: Registry): string | undefined {
  if (gap.detector && registry.detectors.has(gap.detector)) return gap.detector;
  return [...registry.detectors.values()].find((entry) => entry.gap_type === gap.gap_type)?.id;
}

/**
 * The actions a gap's own detector declares for it (those for its message, or every one that
 * names no message). A gap from a report without message ids gets the first declared action.
 */
export async function remediationsFor(gap: Gap, registry: Registry): Promise<RemediationSpec[]> {
  if (gap.gap_type === 'unknown') return [DETECTOR_FAILED];
  const id = detectorIdOf(gap, registry);
  if (!id) return [manual(gap)];
  const declared = (await registry.detectors.get(id)!.load()).remediation;
  if (declared.length === 0) return [manual(gap)];
  if (!gap.message_id) return [declared.find((spec) => !spec.messages) ?? declared[0]!];
  const matching = declared.filter((spec) => !spec.messages || spec.messages.includes(gap.message_id!));
  return matching.length > 0 ? matching : [manual(gap)];
}
