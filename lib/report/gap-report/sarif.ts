import type { Gap, GapReportV1 } from '../../contracts/gap-report.ts';
import { packageVersion } from '../../paths.ts';
import { builtinLookup } from '../detector-lookup.ts';
import { sarifLevel } from '../levels.ts';
import { HOMEPAGE_URL } from '../links.ts';
import { invocationsOf } from '../sarif-invocations.ts';
import { ruleIdOf, rulesOf, sentence } from '../sarif-rules.ts';
import { jsonText, type RichReporter } from '../types.ts';

/** Code scanning takes at most this many locations per result. */
const MAX_LOCATIONS = 10;
/** Paths are relative to the checkout; the consumer (code scanning, an editor) knows where that is. */
const SRCROOT = '%SRCROOT%';

interface SarifLocation {
  physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region?: { startLine: number } };
  message?: { text: string };
}

/** A repository-relative POSIX path as a relative URI reference: each segment percent-encoded. */
function pathUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function location(path: string, line?: number, message?: string): SarifLocation {
  return {
    physicalLocation: { artifactLocation: { uri: pathUri(path), uriBaseId: SRCROOT }, ...(line ? { region: { startLine: line } } : {}) },
    ...(message ? { message: { text: sentence(message) } } : {}),
  };
}

/**
 * The lines the detector knows, then the files it named without a line. Code scanning rejects
 * a result without a location, so a repository-wide gap points at the checkout's root.
 */
function locationsOf(gap: Gap): SarifLocation[] {
  const evidence = gap.evidence;
  const lines = evidence?.locations ?? [];
  const withLines = new Set(lines.map((entry) => entry.path));
  const all = [
    ...lines.map((entry) => location(entry.path, entry.line, entry.message)),
    ...(evidence?.file_paths ?? []).filter((path) => !withLines.has(path)).map((path) => location(path)),
  ];
  if (all.length === 0) return [location('.', undefined, 'The repository as a whole')];
  return all.slice(0, MAX_LOCATIONS);
}

function resultOf(gap: Gap, ruleIndex: number) {
  const title = gap.title ?? gap.gap_type;
  const description = gap.description && gap.description !== title ? ` ${sentence(gap.description)}` : '';
  return {
    ruleId: ruleIdOf(gap),
    ruleIndex,
    level: sarifLevel(gap.risk_classification),
    message: { text: `${sentence(title)}${description}` },
    locations: locationsOf(gap),
    // The gap id is derived from what was found, not from where: the alert survives edits elsewhere.
    partialFingerprints: { 'autopackGapId/v1': gap.gap_id },
    properties: { gap_id: gap.gap_id, gap_type: gap.gap_type, risk: gap.risk_classification, blocks_autopilot: gap.blocks_autopilot },
  };
}

/**
 * SARIF 2.1.0 for `--format sarif`: one run of the `autopack` driver with a rule per detector
 * message used, a result per gap, autopack's invocation and one per mechanical command.
 * Deterministic: rules and invocations sorted, results in report order, no clock but the report's.
 */
const render: RichReporter<GapReportV1> = async (report, context) => {
  const lookup = context.detectors ?? (await builtinLookup());
  const rules = await rulesOf(report.gaps, lookup);
  const index = new Map(rules.map((rule, i) => [rule.id, i]));
  const version = report.metadata?.scanner_version ?? packageVersion();
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'autopack', version, semanticVersion: version, informationUri: HOMEPAGE_URL, rules } },
        automationDetails: { id: `${report.project_id}/${report.run_id}/` },
        invocations: invocationsOf(report),
        results: report.gaps.map((gap) => resultOf(gap, index.get(ruleIdOf(gap))!)),
        properties: {
          ...(report.report_id ? { report_id: report.report_id } : {}),
          ...(report.workspace_state_digest ? { workspace_state_digest: report.workspace_state_digest } : {}),
          generated_at: report.generated_at,
          ...(report.summary ? { summary: report.summary } : {}),
        },
      },
    ],
  };
  return { stdout: jsonText(log) };
};
export default render;
