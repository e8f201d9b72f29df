// GapReportV1 → the Python tool's GapReportV1. Every mapping that loses something is listed
// here and, when it loses something of this report, reported in `losses` (the CLI prints them
// on stderr: the artifact itself has no room for them).
//
// - `report_id` is dropped: the Python model has no such field. A Python reader derives the
//   report's id from `workspace_state_digest` (`gap-report-<digest[:12]>`), which is kept.
// - `gap_type` outside the Python enum (`production_config_debug`, plugin types) becomes
//   `unknown`, the only value the enum has for "another kind": the gap stays (its count, risk and
//   blocker flag are real, and plans refer to its id) and a last detection signal
//   `autopack gap_type: <type>` keeps the type. The Python planner turns an `unknown` gap into a
//   blocked manual-review action, the safe reading.
// - `detector` and `message_id` are dropped (for a built-in detector the id is the gap type).
// - evidence: `file_paths_total`, `test_names_total` (the lists show the first 10, as the
//   Python scanner's do; titles keep the full counts) and `locations` are dropped.
// - command evidence keeps `command`, `exit_code`, `stdout_hash` and `stderr_excerpt`; `argv`,
//   the full hashes, `stdout_excerpt`, the byte counts, `duration_ms`, `timed_out` and `error`
//   are dropped (the error, or the output's first line, is already a detection signal).
// - metadata keeps `scanner_version` and `scan_duration_ms`; `detectors_run`,
//   `skipped_detectors`, `notes` and `scope` are dropped.
// - fields the Python model fills with a default (`file_paths`, `test_names`, `excerpts`,
//   `stdout_hash`, `stderr_excerpt`, `requires_approval`, the summary counts) are always written.
import type { Gap, GapEvidence, GapReportV1 } from '../contracts/gap-report.ts';
import { assertContract } from '../util/errors.ts';
import { PYTHON_GAP_TYPES, PythonGapReportV1, type PythonGap, type PythonGapEvidence } from './python-schemas.ts';

export interface PythonGapReportResult {
  report: PythonGapReportV1;
  /** What this report had that the Python form cannot hold, one line each, for a human. */
  losses: string[];
}

const PYTHON_TYPES = new Set<string>(PYTHON_GAP_TYPES);

const COMMAND_EVIDENCE_EXTRAS = ['argv', 'stdout_sha256', 'stderr_sha256', 'stdout_excerpt', 'stdout_bytes', 'stderr_bytes', 'duration_ms', 'timed_out', 'error'] as const;

function pythonEvidence(gapId: string, evidence: GapEvidence, losses: string[]): PythonGapEvidence {
  const shown = (list: readonly unknown[] | undefined) => list?.length ?? 0;
  if (evidence.file_paths_total !== undefined && evidence.file_paths_total > shown(evidence.file_paths)) {
    losses.push(`gap ${gapId}: file_paths shows ${shown(evidence.file_paths)} of ${evidence.file_paths_total}; file_paths_total dropped`);
  }
  if (evidence.test_names_total !== undefined && evidence.test_names_total > shown(evidence.test_names)) {
    losses.push(`gap ${gapId}: test_names shows ${shown(evidence.test_names)} of ${evidence.test_names_total}; test_names_total dropped`);
  }
  if (evidence.locations && evidence.locations.length > 0) losses.push(`gap ${gapId}: ${evidence.locations.length} evidence location(s) (file:line) dropped`);
  const command = evidence.command_evidence;
  if (command) {
    const extras = COMMAND_EVIDENCE_EXTRAS.filter((key) => command[key] !== undefined);
    if (extras.length > 0) losses.push(`gap ${gapId}: command_evidence ${extras.join(', ')} dropped`);
  }
  return {
    file_paths: [...(evidence.file_paths ?? [])],
    test_names: [...(evidence.test_names ?? [])],
    excerpts: (evidence.excerpts ?? []).map((excerpt) => ({
      source: excerpt.source,
      ...(excerpt.content_hash !== undefined ? { content_hash: excerpt.content_hash } : {}),
      ...(excerpt.preview !== undefined ? { preview: excerpt.preview } : {}),
    })),
    ...(command
      ? { command_evidence: { command: command.command, exit_code: command.exit_code, stdout_hash: command.stdout_hash ?? '', stderr_excerpt: command.stderr_excerpt ?? '' } }
      : {}),
  };
}

function pythonGap(gap: Gap, losses: string[]): PythonGap {
  const known = PYTHON_TYPES.has(gap.gap_type);
  if (!known) losses.push(`gap ${gap.gap_id}: gap_type ${gap.gap_type} is not a Python gap type; written as unknown (signal "autopack gap_type: ${gap.gap_type}")`);
  const remediation = gap.safe_remediation;
  return {
    gap_id: gap.gap_id,
    gap_type: known ? (gap.gap_type as PythonGap['gap_type']) : 'unknown',
    ...(gap.title !== undefined ? { title: gap.title } : {}),
    ...(gap.description !== undefined ? { description: gap.description } : {}),
    detection_signals: known ? [...gap.detection_signals] : [...gap.detection_signals, `autopack gap_type: ${gap.gap_type}`],
    ...(gap.evidence ? { evidence: pythonEvidence(gap.gap_id, gap.evidence, losses) } : {}),
    risk_classification: gap.risk_classification,
    blocks_autopilot: gap.blocks_autopilot,
    ...(remediation
      ? {
          safe_remediation: {
            ...(remediation.approach !== undefined ? { approach: remediation.approach } : {}),
            requires_approval: remediation.requires_approval ?? true,
            ...(remediation.estimated_actions !== undefined ? { estimated_actions: remediation.estimated_actions } : {}),
          },
        }
      : {}),
  };
}

function metadataLosses(metadata: GapReportV1['metadata'], losses: string[]): void {
  for (const skipped of metadata?.skipped_detectors ?? []) losses.push(`metadata.skipped_detectors dropped: ${skipped.detector} (${skipped.reason})`);
  for (const note of metadata?.notes ?? []) losses.push(`metadata.notes dropped: ${note}`);
  if (metadata?.scope !== undefined && metadata.scope !== 'full') losses.push(`metadata.scope dropped: the scan covered only the ${metadata.scope} files, not the whole workspace`);
}

/** The report with exactly the Python model's fields, in its order; checked against that model. */
export function toPythonGapReport(report: GapReportV1): PythonGapReportResult {
  const losses: string[] = [];
  const gaps = report.gaps.map((gap) => pythonGap(gap, losses));
  metadataLosses(report.metadata, losses);
  const { summary, metadata } = report;
  const python: PythonGapReportV1 = {
    format_version: 'v1',
    project_id: report.project_id,
    run_id: report.run_id,
    generated_at: report.generated_at,
    ...(report.workspace_state_digest !== undefined ? { workspace_state_digest: report.workspace_state_digest } : {}),
    gaps,
    ...(summary
      ? {
          summary: {
            total_gaps: summary.total_gaps ?? 0,
            critical_gaps: summary.critical_gaps ?? 0,
            high_gaps: summary.high_gaps ?? 0,
            medium_gaps: summary.medium_gaps ?? 0,
            low_gaps: summary.low_gaps ?? 0,
            autopilot_blockers: summary.autopilot_blockers ?? 0,
          },
        }
      : {}),
    ...(metadata
      ? {
          metadata: {
            ...(metadata.scanner_version !== undefined ? { scanner_version: metadata.scanner_version } : {}),
            ...(metadata.scan_duration_ms !== undefined ? { scan_duration_ms: metadata.scan_duration_ms } : {}),
          },
        }
      : {}),
  };
  assertContract(PythonGapReportV1, python, 'the Python-compatible gap report');
  return { report: python, losses };
}
