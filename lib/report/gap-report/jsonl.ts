import type { GapReportV1 } from '../../contracts/gap-report.ts';
import type { Reporter } from '../types.ts';

/**
 * `--format jsonl`: one JSON object per line, each with a `type`. First a `"gap"` record per
 * gap (the gap as in the report, plus `report_id` to join lines of one report), then one
 * `"summary"` record last: the report without its gaps. Every line is valid JSON on its own.
 */
const render: Reporter<GapReportV1> = (report) => {
  const { gaps, ...rest } = report;
  const reportId = report.report_id ?? null;
  const lines = gaps.map((gap) => JSON.stringify({ type: 'gap', report_id: reportId, ...gap }));
  lines.push(JSON.stringify({ type: 'summary', ...rest, report_id: reportId }));
  return `${lines.join('\n')}\n`;
};
export default render;
