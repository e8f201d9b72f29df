import type { DetectorDefinition, ResolvedDetector, ResolvedMessage } from './types.ts';

/** The message id of a detector that declares no messages of its own. */
export const DEFAULT_MESSAGE_ID = 'default';

const PLACEHOLDER = /\{([^{}]*)\}/g;
const PLACEHOLDER_NAME = /^[a-z_][a-z0-9_]*$/i;

/** The `{name}` placeholders of a template, in order of first use. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((match) => match[1]!))];
}

/** Why a template's placeholders are malformed (`{1x}`, an unclosed `{`), or undefined. */
function placeholderProblem(template: string): string | undefined {
  for (const name of placeholdersOf(template)) if (!PLACEHOLDER_NAME.test(name)) return `placeholder {${name}} is not a name`;
  const stripped = template.replace(PLACEHOLDER, '');
  if (stripped.includes('{') || stripped.includes('}')) return 'has an unbalanced { or }';
  return undefined;
}

/** Every placeholder a message uses, across all its texts. */
export function messagePlaceholders(message: ResolvedMessage): string[] {
  return [...new Set([message.title, message.description, message.remediation, ...message.signals].flatMap(placeholdersOf))];
}

/**
 * Fills every default of a (shape-checked) detector definition: gap type = id, description =
 * title, scope `repo`, risk medium without blocking, one message worded like the detector.
 * Returns the problems that make it unusable instead (placeholders, remediation that names an
 * undeclared message).
 */
export function resolveDetector(definition: DetectorDefinition<any, any>): { ok: true; detector: ResolvedDetector } | { ok: false; problems: string[] } {
  const description = definition.description ?? definition.title;
  const declared = definition.messages ?? { [DEFAULT_MESSAGE_ID]: { title: definition.title, description, remediation: `Review and fix: ${definition.title}` } };
  const messages: Record<string, ResolvedMessage> = {};
  const problems: string[] = [];
  for (const [id, message] of Object.entries(declared)) {
    const resolved: ResolvedMessage = {
      title: message.title,
      description: message.description ?? message.title,
      signals: message.signals ?? [],
      remediation: message.remediation ?? `Review and fix: ${message.title}`,
      ...(message.risk ? { risk: message.risk } : {}),
      ...(message.blocks_autopilot !== undefined ? { blocks_autopilot: message.blocks_autopilot } : {}),
    };
    for (const [field, text] of [['title', resolved.title], ['description', resolved.description], ['remediation', resolved.remediation], ...resolved.signals.map((s, i) => [`signals[${i}]`, s])] as const) {
      const problem = placeholderProblem(text);
      if (problem) problems.push(`$.messages.${id}.${field}: ${problem}`);
    }
    messages[id] = resolved;
  }
  for (const [index, spec] of (definition.remediation ?? []).entries()) {
    for (const id of spec.messages ?? []) if (!(id in messages)) problems.push(`$.remediation[${index}].messages: names undeclared message '${id}'`);
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    detector: {
      ...definition,
      gap_type: definition.gap_type ?? definition.id,
      description,
      scope: definition.scope ?? 'repo',
      partial: definition.partial ?? (definition.scope === 'files'),
      default: { risk: definition.default?.risk ?? 'medium', blocks_autopilot: definition.default?.blocks_autopilot ?? false },
      messages,
      remediation: definition.remediation ?? [],
    },
  };
}
