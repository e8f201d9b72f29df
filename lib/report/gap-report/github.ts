import { RISK_LEVELS, type RiskLevel } from '../../contracts/common.ts';
import type { Gap, GapReportV1 } from '../../contracts/gap-report.ts';
import { annotationLine, markdownCell, type Annotation, type AnnotationLevel } from '../github-commands.ts';
import { githubLevel } from '../levels.ts';
import type { RichReporter } from '../types.ts';

/** GitHub shows at most this many annotations of each level per step and drops the rest silently. */
export const ANNOTATIONS_PER_LEVEL = 10;
const LEVELS: readonly AnnotationLevel[] = ['error', 'warning', 'notice'];

/** Where a gap shows: its first known line, else its first file, else the run itself. */
function anchorOf(gap: Gap): { file?: string; line?: number } {
  const located = gap.evidence?.locations?.[0];
  if (located) return { file: located.path, line: located.line };
  const path = gap.evidence?.file_paths?.[0];
  return path !== undefined ? { file: path } : {};
}

function whereList(gap: Gap): string[] {
  const lines = (gap.evidence?.locations ?? []).map((entry) => `${entry.path}:${entry.line}`);
  const withLines = new Set((gap.evidence?.locations ?? []).map((entry) => entry.path));
  return [...lines, ...(gap.evidence?.file_paths ?? []).filter((path) => !withLines.has(path))];
}

function annotationOf(gap: Gap): Annotation {
  const where = whereList(gap);
  const message = [
    gap.description ?? gap.title ?? gap.gap_type,
    ...(where.length > 1 ? [`Where: ${where.join(', ')}`] : []),
    ...(gap.safe_remediation?.approach ? [`Fix: ${gap.safe_remediation.approach}`] : []),
    `${gap.gap_id} (${gap.risk_classification}${gap.blocks_autopilot ? ', blocks autopilot' : ''})`,
  ].join('\n');
  return { level: githubLevel(gap.risk_classification), ...anchorOf(gap), title: gap.title ?? gap.gap_type, message };
}

/**
 * At most ANNOTATIONS_PER_LEVEL per level, in report order, then one notice saying how many
 * were left out. That notice counts against the notice limit too, so it gets a slot of its own.
 */
function annotationLines(gaps: readonly Gap[]): string[] {
  const annotations = gaps.map(annotationOf);
  const count = (level: AnnotationLevel) => annotations.filter((a) => a.level === level).length;
  const overflows = LEVELS.some((level) => count(level) > ANNOTATIONS_PER_LEVEL);
  const cap = (level: AnnotationLevel) => (level === 'notice' && overflows ? ANNOTATIONS_PER_LEVEL - 1 : ANNOTATIONS_PER_LEVEL);
  const shown = new Map<AnnotationLevel, number>();
  const lines: string[] = [];
  for (const annotation of annotations) {
    const used = shown.get(annotation.level) ?? 0;
    if (used >= cap(annotation.level)) continue;
    shown.set(annotation.level, used + 1);
    lines.push(annotationLine(annotation));
  }
  const left = LEVELS.map((level) => [level, count(level) - (shown.get(level) ?? 0)] as const).filter(([, n]) => n > 0);
  if (left.length > 0) {
    const total = left.reduce((sum, [, n]) => sum + n, 0);
    const parts = left.map(([level, n]) => `${n} ${level}${n === 1 ? '' : 's'}`).join(', ');
    lines.push(annotationLine({ level: 'notice', title: 'autopack', message: `${total} more ${total === 1 ? 'gap' : 'gaps'} not annotated (${parts}): GitHub shows at most ${ANNOTATIONS_PER_LEVEL} annotations per level. The step summary and the SARIF upload list every gap.` }));
  }
  return lines;
}

function countsLine(gaps: readonly Gap[]): string {
  const byRisk = (risk: RiskLevel) => gaps.filter((gap) => gap.risk_classification === risk).length;
  const blockers = gaps.filter((gap) => gap.blocks_autopilot).length;
  return `${RISK_LEVELS.map((risk) => `${byRisk(risk)} ${risk}`).join(', ')}; **${blockers} block autopilot**.`;
}

/** The Markdown the job page shows: counts, then one table row per gap (never capped). */
function stepSummary(report: GapReportV1): string {
  const lines = [`## autopack gaps scan: ${markdownCell(report.project_id)}`, ''];
  if (report.gaps.length === 0) return [...lines, `No gaps (run ${markdownCell(report.run_id)}).`, ''].join('\n');
  lines.push(`**${report.gaps.length} gaps** (run ${markdownCell(report.run_id)}): ${countsLine(report.gaps)}`, '');
  lines.push('| Risk | Blocks | Gap | Where | Id |', '|---|---|---|---|---|');
  for (const gap of report.gaps) {
    const where = whereList(gap).map(markdownCell).join('<br>') || '—';
    lines.push(`| ${gap.risk_classification} | ${gap.blocks_autopilot ? 'yes' : 'no'} | ${markdownCell(gap.title ?? gap.gap_type)} | ${where} | ${markdownCell(gap.gap_id)} |`);
  }
  return [...lines, ''].join('\n');
}

/**
 * `--format github`: workflow commands that GitHub Actions turns into annotations on the run and
 * the pull request's files, plus a Markdown step summary (which `emit` appends to
 * `$GITHUB_STEP_SUMMARY`).
 */
const render: RichReporter<GapReportV1> = (report) => {
  const lines = annotationLines(report.gaps);
  return { stdout: lines.length > 0 ? `${lines.join('\n')}\n` : '', stepSummary: stepSummary(report) };
};
export default render;
