import { gapReportSchema, type Gap, type GapReportV1 } from '../contracts/gap-report.ts';
import type { DetectorPlan } from '../config/load-config.ts';
import { computeWorkspaceDigest } from '../git/digest.ts';
import { knownGapTypes, type Registry } from '../registry/load.ts';
import type { Finding } from '../registry/types.ts';
import { excerpt } from '../runner/redact.ts';
import { isoTimestamp } from '../util/clock.ts';
import { assertContract, errorMessage } from '../util/errors.ts';
import { compareCodePoints, sortedUnique } from '../util/sort.ts';
import { buildGap, detectorFailureGap } from './build-gap.ts';
import { createDetectorContext, type SharedScanState } from './context.ts';
import { reportId } from './ids.ts';
import { sortGaps, summarizeGaps, type RankedGap } from './summary.ts';

export interface RunDetectorsOptions {
  shared: SharedScanState;
  registry: Registry;
  plans: ReadonlyMap<string, DetectorPlan>;
  /** Run only these detectors (ids). */
  only?: readonly string[];
  projectId: string;
  runId: string;
  scannerVersion: string;
  /** Override of the workspace digest (tests; reference A §10.5 case 9). */
  digest?: () => Promise<string>;
}

interface DetectorOutcome {
  id: string;
  gaps: RankedGap[];
  skipped?: string;
}

function validFindings(value: unknown): value is Finding[] {
  return (
    Array.isArray(value) &&
    value.every((f) => f !== null && typeof f === 'object' && Array.isArray((f as Finding).inputs) && (f as Finding).inputs.every((i) => typeof i === 'string'))
  );
}

async function runOne(options: RunDetectorsOptions, plan: DetectorPlan): Promise<DetectorOutcome> {
  const { definition } = plan;
  const ctx = createDetectorContext(options.shared, definition.id);
  const redactOptions = { paths: [[options.shared.root, '<workspace>']] as const };
  try {
    if (definition.isEnabled) {
      const enabled = await definition.isEnabled(ctx);
      if (enabled !== true) return { id: definition.id, gaps: [], skipped: typeof enabled === 'string' ? enabled : 'disabled by the detector' };
    }
    const findings: unknown = await definition.detect(ctx);
    if (!validFindings(findings)) throw new Error('detect() must return an array of findings with string `inputs`');
    const gaps = findings.map((finding) => ({ gap: buildGap(definition, finding, plan.settings), detectorId: definition.id }));
    return { id: definition.id, gaps };
  } catch (error) {
    options.shared.logger.debug(`detector ${definition.id} failed: ${error instanceof Error ? error.stack : String(error)}`);
    const gap = detectorFailureGap(definition.id, excerpt(errorMessage(error), redactOptions));
    return { id: definition.id, gaps: [{ gap, detectorId: definition.id }] };
  }
}

/**
 * Runs the enabled detectors concurrently and assembles a GapReportV1: gaps deduplicated by
 * id and sorted, the workspace digest computed exactly once, summary and report id
 * derived, and the result validated against the contract.
 */
export async function runDetectors(options: RunDetectorsOptions): Promise<GapReportV1> {
  const { shared } = options;
  const started = shared.clock.mark();
  const selected = [...options.plans.values()]
    .filter((plan) => (options.only ? options.only.includes(plan.definition.id) : plan.enabled))
    .sort((a, b) => compareCodePoints(a.definition.id, b.definition.id));
  const digestPromise = options.digest ? options.digest() : computeWorkspaceDigest((args) => shared.git.run(args));
  const outcomes = await Promise.all(selected.map((plan) => runOne(options, plan)));
  const digest = await digestPromise;

  const seen = new Set<string>();
  const ranked: RankedGap[] = [];
  for (const outcome of outcomes) {
    for (const entry of outcome.gaps) {
      if (seen.has(entry.gap.gap_id)) continue;
      seen.add(entry.gap.gap_id);
      ranked.push(entry);
    }
  }
  const gaps: Gap[] = sortGaps(ranked);
  // Only when a detector listed files: never a git ls-files just for this note.
  const fileList = shared.cache.files ? await shared.cache.files : undefined;
  const notes = [...shared.notes];
  if (!shared.repo.gitAvailable) notes.push(`git unavailable: ${shared.repo.reason ?? 'git could not run'}; git-based detectors skipped`);
  else if (!shared.repo.isRepo) notes.push(`not a git repository (${shared.repo.reason ?? 'no work tree'}); git-based detectors skipped`);
  if (fileList?.source === 'walk') notes.push('file list from a directory walk (no git file list available)');

  const report: GapReportV1 = {
    format_version: 'v1',
    project_id: options.projectId,
    run_id: options.runId,
    report_id: reportId(digest, gaps.map((gap) => gap.gap_id)),
    generated_at: isoTimestamp(shared.clock.now()),
    workspace_state_digest: digest,
    gaps,
    summary: summarizeGaps(gaps),
    metadata: {
      scanner_version: options.scannerVersion,
      scan_duration_ms: shared.clock.since(started),
      detectors_run: outcomes.filter((o) => o.skipped === undefined).map((o) => o.id),
      skipped_detectors: outcomes
        .filter((o) => o.skipped !== undefined)
        .map((o) => ({ detector: o.id, reason: o.skipped! })),
      notes: sortedUnique(notes),
      scope: 'full',
    },
  };
  return assertContract(gapReportSchema(knownGapTypes(options.registry)), report, 'the gap report') as GapReportV1;
}
