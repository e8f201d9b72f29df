import * as v from 'valibot';
import { BUILTIN_DETECTORS } from '../registry/builtin-index.ts';
import { DateTime, HexDigest, NonEmptyString, NonNegativeInt, RISK_LEVELS } from './common.ts';

/** A type plugins may declare: snake_case. */
export const GAP_TYPE_PATTERN = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;

export const CommandEvidence = v.strictObject({
  command: v.string(),
  exit_code: v.pipe(v.number(), v.integer()),
  /** First 16 hex characters of sha256(stdout), the reference's form. */
  stdout_hash: v.optional(v.string(), ''),
  stderr_excerpt: v.optional(v.string(), ''),
  argv: v.optional(v.array(v.string())),
  stdout_sha256: v.optional(v.pipe(v.string(), v.regex(/^[a-f0-9]{64}$/))),
  stderr_sha256: v.optional(v.pipe(v.string(), v.regex(/^[a-f0-9]{64}$/))),
  stdout_excerpt: v.optional(v.string()),
  /** Full sizes of the output streams (the excerpts show at most 500 characters). */
  stdout_bytes: v.optional(NonNegativeInt),
  stderr_bytes: v.optional(NonNegativeInt),
  duration_ms: v.optional(NonNegativeInt),
  timed_out: v.optional(v.boolean()),
  error: v.optional(v.string()),
});

export const GapExcerpt = v.strictObject({
  source: v.string(),
  content_hash: v.optional(v.string()),
  preview: v.optional(v.pipe(v.string(), v.maxLength(200))),
});

export const GapLocation = v.strictObject({
  path: v.string(),
  line: v.pipe(v.number(), v.integer(), v.minValue(1)),
  /** What is wrong at that line, when it says more than the gap's title. */
  message: v.optional(v.string()),
});

export const GapEvidence = v.strictObject({
  file_paths: v.optional(v.array(v.string()), []),
  /** How many paths there are when `file_paths` shows only the first 10. */
  file_paths_total: v.optional(NonNegativeInt),
  test_names: v.optional(v.array(v.string()), []),
  test_names_total: v.optional(NonNegativeInt),
  excerpts: v.optional(v.array(GapExcerpt), []),
  command_evidence: v.optional(CommandEvidence),
  /** Where in the files, when the detector knows the lines (sorted by path, then line; cut like file_paths). */
  locations: v.optional(v.array(GapLocation)),
});

export const SafeRemediation = v.strictObject({
  approach: v.optional(v.string()),
  requires_approval: v.optional(v.boolean(), true),
  estimated_actions: v.optional(NonNegativeInt),
});

export const GapSummary = v.strictObject({
  total_gaps: v.optional(NonNegativeInt, 0),
  critical_gaps: v.optional(NonNegativeInt, 0),
  high_gaps: v.optional(NonNegativeInt, 0),
  medium_gaps: v.optional(NonNegativeInt, 0),
  low_gaps: v.optional(NonNegativeInt, 0),
  autopilot_blockers: v.optional(NonNegativeInt, 0),
});

export const SkippedDetector = v.strictObject({ detector: v.string(), reason: v.string() });

export const GapReportMetadata = v.strictObject({
  scanner_version: v.optional(v.string()),
  scan_duration_ms: v.optional(NonNegativeInt),
  detectors_run: v.optional(v.array(v.string())),
  skipped_detectors: v.optional(v.array(SkippedDetector)),
  notes: v.optional(v.array(v.string())),
  scope: v.optional(v.picklist(['full', 'staged', 'since', 'files'])),
  /** Every mechanical check the scan ran (repository code), in the order it ran. */
  commands_run: v.optional(
    v.array(
      v.strictObject({
        detector: v.string(),
        check: v.string(),
        command: v.string(),
        exit_code: v.pipe(v.number(), v.integer()),
        timed_out: v.optional(v.boolean()),
      }),
    ),
  ),
  /** When only a folder of the repository was scanned (`--workspace docs`): that folder. The report is partial. */
  workspace_subfolder: v.optional(v.string()),
  /** With `--baseline`: the report compared against (only new gaps decide the exit code). */
  baseline: v.optional(v.strictObject({ report_id: v.string(), gaps: NonNegativeInt, new_gaps: NonNegativeInt })),
  /** Config plugins the scan loaded (repository code too). */
  plugins_loaded: v.optional(v.array(v.string())),
});

/** Builds the GapReportV1 schema for a set of known gap types (built-ins + plugins). */
export function gapReportSchema(gapTypes: readonly string[]) {
  const known = new Set<string>(gapTypes);
  const types = [...known].sort();
  const Gap = v.strictObject({
    gap_id: v.string(),
    gap_type: v.picklist(types as [string, ...string[]]),
    /** The detector that reported it (its id). */
    detector: v.optional(v.pipe(v.string(), v.regex(GAP_TYPE_PATTERN))),
    /** Which of the detector's messages worded it: with the detector, a stable rule id. */
    message_id: v.optional(v.pipe(v.string(), v.regex(GAP_TYPE_PATTERN))),
    title: v.optional(v.string()),
    description: v.optional(v.string()),
    detection_signals: v.array(v.string()),
    evidence: v.optional(GapEvidence),
    risk_classification: v.picklist(RISK_LEVELS),
    blocks_autopilot: v.boolean(),
    safe_remediation: v.optional(SafeRemediation),
    /** With `--baseline`: whether the baseline report had this gap (same id) or it is new. */
    baseline_state: v.optional(v.picklist(['new', 'unchanged'])),
  });
  return v.strictObject({
    format_version: v.literal('v1'),
    project_id: NonEmptyString,
    run_id: NonEmptyString,
    report_id: v.optional(v.pipe(v.string(), v.regex(/^gap-report-[a-f0-9]{12}$/))),
    generated_at: DateTime,
    workspace_state_digest: v.optional(HexDigest),
    gaps: v.array(Gap),
    summary: v.optional(GapSummary),
    metadata: v.optional(GapReportMetadata),
  });
}

/** The gap types of the built-in detectors and `unknown` (a failed detector): what a report is checked against without a workspace. */
export const DEFAULT_GAP_TYPES: readonly string[] = [...new Set([...BUILTIN_DETECTORS.map((entry) => entry.gap_type), 'unknown'])].sort();

export const GapReportV1 = gapReportSchema(DEFAULT_GAP_TYPES);

export type GapReportV1 = v.InferOutput<typeof GapReportV1>;
export type Gap = GapReportV1['gaps'][number];
export type GapEvidence = v.InferOutput<typeof GapEvidence>;
export type GapLocation = v.InferOutput<typeof GapLocation>;
export type CommandEvidence = v.InferOutput<typeof CommandEvidence>;
export type GapSummary = v.InferOutput<typeof GapSummary>;
