import { gapReportSchema, type Gap, type GapReportV1 } from '../contracts/gap-report.ts';
import { digestFromScan } from '../git/digest.ts';
import { knownGapTypes, type Registry } from '../registry/load.ts';
import { checkFindings } from '../registry/finding-shape.ts';
import { excerpt } from '../runner/redact.ts';
import { isoTimestamp } from '../util/clock.ts';
import { assertContract, errorMessage } from '../util/errors.ts';
import { sortedUnique } from '../util/sort.ts';
import { buildGap, checkChangedWorkspaceGap, detectorFailureGap, detectorTimeoutGap, invalidFindingGap } from './build-gap.ts';
import { createDetectorContext, statusOf, type ScanPlan, type SharedScanState } from './context.ts';
import { reportId } from './ids.ts';
import type { PluginThread } from '../plugin-thread/host.ts';
import { TIMED_OUT } from '../plugin-thread/timed-out.ts';
import { sortGaps, summarizeGaps, type RankedGap } from './summary.ts';

export interface RunDetectorsOptions {
  shared: SharedScanState;
  registry: Registry;
  projectId: string;
  runId: string;
  scannerVersion: string;
  /** Override of the workspace digest (tests). */
  digest?: () => Promise<string>;
  /** The workspace is this folder of its repository, not the whole of it. */
  subfolder?: string;
  /** Detectors left out before they were imported, and why (a partial scan's whole-repository ones). */
  skipped?: ReadonlyArray<{ id: string; reason: string }>;
}

interface DetectorOutcome {
  id: string;
  gaps: RankedGap[];
  skipped?: string;
}

function failure(shared: SharedScanState, id: string, error: unknown): DetectorOutcome {
  shared.logger.debug(`detector ${id} failed: ${error instanceof Error ? error.stack : String(error)}`);
  const gap = detectorFailureGap(id, excerpt(errorMessage(error), { paths: [[shared.root, '<workspace>']] }));
  return { id, gaps: [{ gap, detectorId: id }] };
}

/** Each configured plugin detector's thread, for the length of its scan. */
const threads = new WeakMap<ScanPlan, PluginThread>();

/** A scan without configured plugins never loads the thread machinery. */
async function threadOf(shared: SharedScanState, plan: ScanPlan): Promise<PluginThread> {
  let thread = threads.get(plan);
  if (!thread) {
    const { detectorThread } = await import('./plugin-host.ts');
    // Another phase may have made it meanwhile.
    thread = threads.get(plan) ?? detectorThread(shared, plan, createDetectorContext(shared, plan));
    threads.set(plan, thread);
  }
  return thread;
}

/** Whether a detector applies here: true, or why not. A throwing `isEnabled` is a failure. */
async function applies(shared: SharedScanState, plan: ScanPlan): Promise<true | { skipped: string } | { failed: unknown }> {
  const { detector } = plan;
  if (shared.partial && !detector.partial) return { skipped: `judges the whole repository, not a ${shared.partial.mode} change` };
  if (!detector.isEnabled) return true;
  try {
    const enabled = plan.plugin ? await (await threadOf(shared, plan)).run('isEnabled') : await detector.isEnabled(createDetectorContext(shared, plan));
    if (enabled === TIMED_OUT) return { failed: new Error(`isEnabled() did not finish within ${plan.timeoutMs / 1000}s`) };
    return enabled === true ? true : { skipped: typeof enabled === 'string' ? enabled : 'disabled by the detector' };
  } catch (error) {
    return { failed: error };
  }
}

/**
 * `detect()` within the detector's time limit: a detector that never settles cannot hold the
 * scan. A configured plugin runs in its own thread, so even one that never yields is stopped;
 * a detector given as a value (a plugin's own tests) runs here, raced against a timer.
 */
async function detectWithin(shared: SharedScanState, plan: ScanPlan): Promise<unknown> {
  if (plan.plugin) return (await threadOf(shared, plan)).run('detect');
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<typeof TIMED_OUT>((resolve) => {
    // Not unref'd: a detect() that awaits nothing at all must still be timed out, not left behind.
    timer = setTimeout(() => resolve(TIMED_OUT), plan.timeoutMs);
  });
  try {
    return await Promise.race([Promise.resolve(plan.detector.detect(createDetectorContext(shared, plan))), limit]);
  } finally {
    clearTimeout(timer);
  }
}

async function detect(shared: SharedScanState, plan: ScanPlan): Promise<DetectorOutcome> {
  const { detector } = plan;
  try {
    const returned = await detectWithin(shared, plan);
    if (returned === TIMED_OUT) return { id: detector.id, gaps: [{ gap: detectorTimeoutGap(detector.id, plan.timeoutMs / 1000), detectorId: detector.id }] };
    const { valid, problems } = checkFindings(detector, returned);
    const gaps: RankedGap[] = valid.map((finding) => ({ gap: buildGap(detector, finding, plan.settings), detectorId: detector.id }));
    if (problems.length > 0) gaps.push({ gap: invalidFindingGap(detector.id, problems), detectorId: detector.id });
    return { id: detector.id, gaps };
  } catch (error) {
    return failure(shared, detector.id, error);
  }
}

/**
 * Runs the scan's detectors concurrently and assembles a GapReportV1: first every detector says
 * whether it applies (so the single file pass reads only for those that run), then they detect;
 * gaps are deduplicated by id and sorted, the digest comes from the scan's one `git status`, and
 * the result is checked against the contract.
 */
export async function runDetectors(options: RunDetectorsOptions): Promise<GapReportV1> {
  const { shared } = options;
  const started = shared.clock.mark();
  const digestPromise = options.digest ? options.digest() : statusOf(shared).then((status) => digestFromScan(shared.repo, status));
  const verdicts = await Promise.all(shared.active.map((plan) => applies(shared, plan)));
  const outcomes: DetectorOutcome[] = (options.skipped ?? []).map(({ id, reason }) => ({ id, gaps: [], skipped: reason }));
  const running = shared.active.filter((plan, index) => {
    const verdict = verdicts[index]!;
    if (verdict === true) return true;
    outcomes.push('skipped' in verdict ? { id: plan.detector.id, gaps: [], skipped: verdict.skipped } : failure(shared, plan.detector.id, verdict.failed));
    return false;
  });
  // Only the detectors that run take part in the file pass.
  const planned = shared.active;
  shared.active = running;
  try {
    outcomes.push(...(await Promise.all(running.map((plan) => detect(shared, plan)))));
  } finally {
    for (const plan of planned) threads.get(plan)?.close();
  }
  for (const change of shared.watched.changes) outcomes.push({ id: change.detector, gaps: [{ gap: checkChangedWorkspaceGap(change), detectorId: change.detector }] });
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
  const fileList = shared.memo.files ? await shared.memo.files : undefined;
  const notes = [...shared.notes];
  if (!shared.repo.gitAvailable) notes.push(`git unavailable: ${shared.repo.reason ?? 'git could not run'}; git-based detectors skipped`);
  else if (!shared.repo.isRepo) notes.push(`not a git repository (${shared.repo.reason ?? 'no work tree'}); git-based detectors skipped`);
  if (fileList?.source === 'walk') notes.push('file list from a directory walk (no git file list available)');
  const ids = (list: DetectorOutcome[]) => list.map((outcome) => outcome.id).sort();

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
      detectors_run: ids(outcomes.filter((o) => o.skipped === undefined)),
      skipped_detectors: outcomes
        .filter((o) => o.skipped !== undefined)
        .map((o) => ({ detector: o.id, reason: o.skipped! }))
        .sort((a, b) => (a.detector < b.detector ? -1 : 1)),
      notes: sortedUnique(notes),
      scope: shared.partial?.mode ?? 'full',
      // The repository's code the scan ran: every check (in the order run) and every plugin loaded.
      ...(options.subfolder ? { workspace_subfolder: options.subfolder } : {}),
      commands_run: shared.watched.runs,
      plugins_loaded: [...shared.pluginsLoaded],
    },
  };
  assertContract(gapReportSchema(knownGapTypes(options.registry)), report, 'the gap report');
  return report;
}
