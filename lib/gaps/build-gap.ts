import type { RiskLevel } from '../contracts/common.ts';
import type { Gap } from '../contracts/gap-report.ts';
import type { CheckedFinding } from '../registry/finding-shape.ts';
import type { AnyDetector, ResolvedMessage } from '../registry/types.ts';
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

function pickMessage(detector: AnyDetector, finding: CheckedFinding): { id: string; message: ResolvedMessage } {
  const id = finding.message;
  const message = detector.messages[id];
  if (!message) throw new Error(`finding uses undeclared message '${id}'`);
  return { id, message };
}

/**
 * Turns a detector's finding into a GapReportV1 gap: the id from the inputs, wording from
 * the declared message, evidence sorted and capped. Precedence of risk and blocking:
 * config > finding > message > detector default.
 */
export function buildGap(detector: AnyDetector, finding: CheckedFinding, settings: DetectorSettings = {}): Gap {
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

/** What went wrong with a detector (or a check it ran), as the scan's own `unknown` gap. */
interface CoreGap {
  detectorId: string;
  messageId: 'detector_failed' | 'invalid_finding' | 'detector_timeout' | 'check_changed_workspace';
  /** Id inputs besides the detector's. */
  inputs?: string[];
  title: string;
  description: string;
  signals: string[];
  paths?: string[];
  risk: RiskLevel;
  remediation: string;
}

function coreGap(core: CoreGap): Gap {
  const paths = sortedUnique(core.paths ?? []);
  return {
    gap_id: gapId('unknown', [`detector:${core.detectorId}`, ...(core.inputs ?? [])]),
    gap_type: 'unknown',
    detector: core.detectorId,
    message_id: core.messageId,
    title: core.title,
    description: core.description,
    detection_signals: core.signals,
    evidence: {
      file_paths: paths.slice(0, EVIDENCE_DISPLAY_LIMIT),
      ...(paths.length > EVIDENCE_DISPLAY_LIMIT ? { file_paths_total: paths.length } : {}),
      test_names: [],
      excerpts: [],
    },
    risk_classification: core.risk,
    blocks_autopilot: true,
    safe_remediation: { approach: core.remediation, requires_approval: true, estimated_actions: 1 },
  };
}

/** The gap a detector that threw (or returned garbage) turns into; the scan goes on. */
export function detectorFailureGap(detectorId: string, error: string): Gap {
  return coreGap({
    detectorId,
    messageId: 'detector_failed',
    title: `Detector ${detectorId} failed`,
    description: `Detector ${detectorId} threw an error, so its part of the workspace was not checked: ${error}`,
    signals: [`Detector ${detectorId} failed`, error],
    risk: 'high',
    remediation: `Fix the detector, or disable it with detectors.${detectorId}.enabled: false`,
  });
}

/** A detector returned findings that break its contract: named with the field at fault. */
export function invalidFindingGap(detectorId: string, problems: readonly string[]): Gap {
  return coreGap({
    detectorId,
    messageId: 'invalid_finding',
    title: `Detector ${detectorId} returned invalid findings`,
    description: `Detector ${detectorId} returned ${problems.length} finding(s) that do not satisfy the finding contract; they were left out: ${problems[0]}`,
    signals: [...problems.slice(0, EVIDENCE_DISPLAY_LIMIT)],
    risk: 'high',
    remediation: `Fix the detector's findings, or disable it with detectors.${detectorId}.enabled: false`,
  });
}

/** A detector that did not settle within its time limit: the scan went on without it. */
export function detectorTimeoutGap(detectorId: string, seconds: number): Gap {
  return coreGap({
    detectorId,
    messageId: 'detector_timeout',
    title: `Detector ${detectorId} did not finish within ${seconds}s`,
    description: `Detector ${detectorId} did not finish within ${seconds}s, so its part of the workspace was not checked`,
    signals: [`Detector ${detectorId} timed out after ${seconds}s`],
    risk: 'high',
    remediation: `Fix the detector, raise detectors.${detectorId}.timeout_s, or disable it`,
  });
}

/** A mechanical check (repository code) that changed the workspace while the scan ran it. */
export function checkChangedWorkspaceGap(change: { detector: string; check: string; command: string; paths: readonly string[] }): Gap {
  const shown = change.paths.slice(0, 5).join(', ') + (change.paths.length > 5 ? ` and ${change.paths.length - 5} more` : '');
  return coreGap({
    detectorId: change.detector,
    messageId: 'check_changed_workspace',
    inputs: [`check:${change.check}`, ...change.paths],
    title: `Check ${change.check} changed the workspace`,
    description: `\`${change.command}\` (a check of ${change.detector}) changed ${change.paths.length} path(s) while the scan ran it: ${shown}`,
    signals: [`$ ${change.command}`, `changed: ${shown}`],
    paths: [...change.paths],
    risk: 'critical',
    remediation: `Make the check read-only (it must not write the workspace), review what it changed, or remove it from checks.${change.detector}`,
  });
}
