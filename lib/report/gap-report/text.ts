import type { Gap, GapReportV1 } from '../../contracts/gap-report.ts';
import { countOf, shown } from '../human.ts';
import type { Reporter } from '../types.ts';

/** Evidence lines of one gap: paths (or path:line), test names, the command; the cut is counted, never silent. */
function evidenceLines(gap: Gap): string[] {
  const evidence = gap.evidence;
  const lines: string[] = [];
  const lineOf = new Map((evidence?.locations ?? []).map((location) => [location.path, location.line]));
  const paths = evidence?.file_paths ?? [];
  for (const path of paths) lines.push(`    ${shown(path)}${lineOf.has(path) ? `:${lineOf.get(path)}` : ''}`);
  const morePaths = (evidence?.file_paths_total ?? paths.length) - paths.length;
  if (morePaths > 0) lines.push(`    … +${morePaths} more`);
  const tests = evidence?.test_names ?? [];
  for (const name of tests) lines.push(`    ${shown(name)}`);
  const moreTests = (evidence?.test_names_total ?? tests.length) - tests.length;
  if (moreTests > 0) lines.push(`    … +${moreTests} more`);
  // A failed detector says why (the error, the field at fault) rather than only that it failed.
  if (gap.gap_type === 'unknown' && gap.description) lines.push(`    ${shown(gap.description)}`);
  const command = evidence?.command_evidence;
  if (command) {
    lines.push(`    $ ${shown(command.command)}  (exit ${command.exit_code})`);
    const detail = (command.stderr_excerpt || command.stdout_excerpt || '').split('\n').find((line) => line.trim() !== '');
    if (detail) lines.push(`    ${shown(detail)}`);
  }
  return lines;
}

/**
 * The counts of a report in one line, for stderr: `3 gaps (0 critical, 1 high, 2 medium, 0 low),
 * 1 blocks autopilot; digest …`.
 */
export function summaryLine(report: GapReportV1): string {
  const summary = report.summary;
  const total = summary?.total_gaps ?? report.gaps.length;
  const blockers = summary?.autopilot_blockers ?? 0;
  return (
    `${countOf(total, 'gap')} (${summary?.critical_gaps ?? 0} critical, ${summary?.high_gaps ?? 0} high, ` +
    `${summary?.medium_gaps ?? 0} medium, ${summary?.low_gaps ?? 0} low), ${blockers} ${blockers === 1 ? 'blocks' : 'block'} autopilot; ` +
    `digest ${report.workspace_state_digest ?? 'none'}`
  );
}

/**
 * A report for people: one line per gap (risk, whether it blocks, id, title) with its evidence,
 * then what the scan ran (the repository's own commands), skipped, and noted. The counts are
 * not part of it: they go to stderr ({@link summaryLine}), so stdout holds the findings only.
 * Invisible and control characters are escaped, so `NOTES\u200b.md` does not pass for `NOTES.md`.
 */
const render: Reporter<GapReportV1> = (report) => {
  const lines: string[] = [];
  for (const gap of report.gaps) {
    const blocks = gap.blocks_autopilot ? 'blocks' : '-';
    lines.push(`${gap.risk_classification.toUpperCase().padEnd(8)} ${blocks.padEnd(6)} ${gap.gap_id}  ${shown(gap.title ?? gap.gap_type)}`, ...evidenceLines(gap));
  }
  const metadata = report.metadata;
  for (const run of metadata?.commands_run ?? []) lines.push(`ran      ${run.detector}: $ ${shown(run.command)}  (exit ${run.exit_code}${run.timed_out ? ', timed out' : ''})`);
  for (const plugin of metadata?.plugins_loaded ?? []) lines.push(`plugin   ${shown(plugin)}`);
  const skippedBy = new Map<string, string[]>();
  for (const skipped of metadata?.skipped_detectors ?? []) skippedBy.set(skipped.reason, [...(skippedBy.get(skipped.reason) ?? []), skipped.detector]);
  for (const [reason, detectors] of skippedBy) lines.push(`skipped  ${detectors.join(', ')}: ${shown(reason)}`);
  for (const note of metadata?.notes ?? []) lines.push(`note     ${shown(note)}`);
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
};
export default render;
