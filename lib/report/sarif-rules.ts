// The SARIF rules of a gap report: one per detector message that worded a gap, described from
// the detector's declaration (templates, not filled-in values) so a rule reads the same in
// every run.
import type { RiskLevel } from '../contracts/common.ts';
import type { Gap } from '../contracts/gap-report.ts';
import { DEFAULT_MESSAGE_ID } from '../registry/resolve.ts';
import { compareCodePoints } from '../util/sort.ts';
import { sarifLevel } from './levels.ts';
import { detectorDocsUrl } from './links.ts';
import type { DetectorLookup } from './types.ts';

export interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  helpUri?: string;
  defaultConfiguration: { level: 'error' | 'warning' | 'note' };
  properties: { tags: string[]; detector: string; message_id: string };
}

/** `<detector>/<message_id>`: stable across runs, whatever the gap's filled-in title says. */
export function ruleIdOf(gap: Gap): string {
  return `${gap.detector ?? gap.gap_type}/${gap.message_id ?? DEFAULT_MESSAGE_ID}`;
}

/** SARIF messages are complete sentences: the validator asks for a final period. */
export function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** `production_config_debug` + `debug` → `ProductionConfigDebugDebug`; the default message adds nothing. */
function ruleName(detector: string, messageId: string): string {
  const words = [...detector.split('_'), ...(messageId === DEFAULT_MESSAGE_ID ? [] : messageId.split('_'))];
  return words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('');
}

interface RuleText {
  title: string;
  description: string;
  remediation: string;
  risk: RiskLevel;
  helpUri?: string;
}

/** What the detector declares for the gap's message, or, for a detector the registry cannot describe, the gap's own words. */
async function ruleText(gap: Gap, lookup: DetectorLookup): Promise<RuleText> {
  const found = gap.detector ? await lookup(gap.detector) : undefined;
  const message = found?.detector.messages[gap.message_id ?? DEFAULT_MESSAGE_ID];
  if (found && message) {
    return {
      // Placeholders stay as `{count}`: a rule describes every gap of its kind.
      title: message.title,
      description: found.detector.description,
      remediation: message.remediation,
      risk: message.risk ?? found.detector.default.risk,
      ...(found.builtin ? { helpUri: detectorDocsUrl(found.detector.id) } : {}),
    };
  }
  return {
    title: gap.title ?? gap.gap_type,
    description: gap.description ?? gap.title ?? gap.gap_type,
    remediation: gap.safe_remediation?.approach ?? 'Review and fix the finding.',
    risk: gap.risk_classification,
  };
}

/** One rule per rule id the gaps use, in id order. */
export async function rulesOf(gaps: readonly Gap[], lookup: DetectorLookup): Promise<SarifRule[]> {
  const first = new Map<string, Gap>();
  for (const gap of gaps) if (!first.has(ruleIdOf(gap))) first.set(ruleIdOf(gap), gap);
  const ids = [...first.keys()].sort(compareCodePoints);
  return Promise.all(
    ids.map(async (id) => {
      const gap = first.get(id)!;
      const [detector = gap.gap_type, messageId = DEFAULT_MESSAGE_ID] = id.split('/');
      const text = await ruleText(gap, lookup);
      const fix = sentence(text.remediation);
      return {
        id,
        name: ruleName(detector, messageId),
        shortDescription: { text: sentence(text.title) },
        fullDescription: { text: sentence(text.description) },
        help: {
          text: text.helpUri ? `${fix} See ${text.helpUri}` : fix,
          markdown: text.helpUri ? `${fix}\n\nSee [the \`${detector}\` detector's page](${text.helpUri}).` : fix,
        },
        ...(text.helpUri ? { helpUri: text.helpUri } : {}),
        defaultConfiguration: { level: sarifLevel(text.risk) },
        properties: { tags: ['autopack', gap.gap_type], detector, message_id: messageId },
      };
    }),
  );
}
