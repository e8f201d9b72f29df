import type { GapReportV1 } from '../../contracts/gap-report.ts';
import type { Reporter } from '../types.ts';

/** One line per gap, then its evidence, for `--format text`. */
const render: Reporter<GapReportV1> = (report) => {
  const lines: string[] = [];
  for (const gap of report.gaps) {
    const blocks = gap.blocks_autopilot ? 'blocks' : '-';
    lines.push(`${gap.risk_classification.toUpperCase().padEnd(8)} ${blocks.padEnd(6)} ${gap.gap_id}  ${gap.title ?? gap.gap_type}`);
    const evidence = gap.evidence;
    for (const path of evidence?.file_paths ?? []) lines.push(`    ${path}`);
    for (const name of evidence?.test_names ?? []) lines.push(`    ${name}`);
    if (evidence?.command_evidence) {
      const command = evidence.command_evidence;
      lines.push(`    $ ${command.command}  (exit ${command.exit_code})`);
      if (command.stderr_excerpt) lines.push(`    ${command.stderr_excerpt.split('\n')[0]}`);
    }
  }
  const summary = report.summary;
  lines.push(
    `${summary?.total_gaps ?? report.gaps.length} gaps (${summary?.critical_gaps ?? 0} critical, ${summary?.high_gaps ?? 0} high, ` +
      `${summary?.medium_gaps ?? 0} medium, ${summary?.low_gaps ?? 0} low), ${summary?.autopilot_blockers ?? 0} block autopilot; ` +
      `digest ${report.workspace_state_digest ?? 'none'}`,
  );
  return `${lines.join('\n')}\n`;
};
export default render;
