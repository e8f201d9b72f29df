import type { RiskLevel } from '../contracts/common.ts';
import type { Gap } from '../contracts/gap-report.ts';
import type { AnyDetector, Finding, ResolvedMessage } from '../registry/types.ts';
import { compareCodePoints, sortedUnique } from '../util/sort.ts';
import { gapId } from './ids.ts';

/** Evidence lists are sorted, deduplicated, then cut to this many for display. */
export const EVIDENCE_DISPLAY_LIMIT = 10;

export interface DetectorSettings {
  risk?: string;
  blocks_autopilot?: boolean;
}

/** Fills `{name}` placeholders; unknown names stay visible rather than vanish. */
export function fillTemplate(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{([a-z_][a-z0-9_]*)\}/gi, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

function pickMessage(detector: AnyDetector, finding: Finding): { id: string; message: ResolvedMessage } {
  const id = finding.message ?? Object.keys(detector.messages)[0]!;
  const message = detector.messages[id];
  if (!message) throw new Error(`finding uses undeclared message '${id}'`);
  return { id, message };
}

/**
 * Turns a detector's finding into a GapReportV1 gap: the id from the inputs, wording from
 * the declared message, evidence sorted and capped. Precedence of risk and blocking:
 * config > finding > message > detector default.
 */
export function buildGap(detector: AnyDetector, finding: Finding, settings: DetectorSettings = {}): Gap {
  const { id: messageId, message } = pickMessage(detector, finding);
  const params: Record<string, string | number> = { ...(finding.params ?? {}) };
  const fill = (text: string) => fillTemplate(text, params);
  const paths = sortedUnique(finding.evidence?.file_paths ?? []);
  const tests = sortedUnique(finding.evidence?.test_names ?? []);
  const locations = [...(finding.evidence?.locations ?? [])].sort((a, b) => compareCodePoints(a.path, b.path) || a.line - b.line);
  const evidence: Gap['evidence'] = {
    file_paths: paths.slice(0, EVIDENCE_DISPLAY_LIMIT),
    // The cut is never silent: readers (governance) learn that there is more than shown.
    ...(paths.length > EVIDENCE_DISPLAY_LIMIT ? { file_paths_total: paths.length } : {}),
    test_names: tests.slice(0, EVIDENCE_DISPLAY_LIMIT),
    ...(tests.length > EVIDENCE_DISPLAY_LIMIT ? { test_names_total: tests.length } : {}),
    excerpts: [],
    ...(finding.evidence?.command_evidence ? { command_evidence: finding.evidence.command_evidence } : {}),
    ...(locations.length > 0 ? { locations: locations.slice(0, EVIDENCE_DISPLAY_LIMIT) } : {}),
  };
  return {
    gap_id: gapId(detector.gap_type, finding.inputs),
    gap_type: detector.gap_type,
    detector: detector.id,
    message_id: messageId,
    title: fill(message.title),
    description: fill(message.description),
    detection_signals: [...message.signals.map(fill), ...(finding.signals ?? [])],
    evidence,
    risk_classification: (settings.risk ?? finding.risk ?? message.risk ?? detector.default.risk) as RiskLevel,
    blocks_autopilot: settings.blocks_autopilot ?? finding.blocks_autopilot ?? message.blocks_autopilot ?? detector.default.blocks_autopilot,
    safe_remediation: {
      approach: fill(message.remediation),
      requires_approval: true,
      estimated_actions: finding.estimated_actions ?? 1,
    },
  };
}

/** The gap a detector that threw (or returned garbage) turns into; the scan goes on. */
export function detectorFailureGap(detectorId: string, error: string): Gap {
  return {
    gap_id: gapId('unknown', [`detector:${detectorId}`]),
    gap_type: 'unknown',
    detector: detectorId,
    message_id: 'detector_failed',
    title: `Detector ${detectorId} failed`,
    description: `Detector ${detectorId} threw an error, so its part of the workspace was not checked: ${error}`,
    detection_signals: [`Detector ${detectorId} failed`, error],
    evidence: { file_paths: [], test_names: [], excerpts: [] },
    risk_classification: 'high',
    blocks_autopilot: true,
    safe_remediation: {
      approach: `Fix the detector, or disable it with detectors.${detectorId}.enabled: false`,
      requires_approval: true,
      estimated_actions: 1,
    },
  };
}
