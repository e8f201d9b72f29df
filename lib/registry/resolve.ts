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

/**
 * The placeholder rule, checked when the plugin loads rather than when a finding first hits the
 * message: every `{name}` a text uses is declared in the message's `params` (a typo or a value
 * no finding gives would otherwise print literally), and every declared param is used.
 */
function undeclaredProblems(path: string, texts: ReadonlyArray<readonly [string, string]>, params: readonly string[], hint: string): string[] {
  const problems: string[] = [];
  const used = new Set<string>();
  for (const [field, text] of texts) {
    const malformed = placeholderProblem(text);
    if (malformed) {
      problems.push(`${path}.${field}: ${malformed}`);
      continue;
    }
    for (const name of placeholdersOf(text)) {
      used.add(name);
      if (!params.includes(name)) problems.push(`${path}.${field}: placeholder {${name}} is not declared in ${hint}`);
    }
  }
  for (const name of params) if (!used.has(name)) problems.push(`${path}.params: declares '${name}', which none of its texts use`);
  return problems;
}

/**
 * Fills every default of a (shape-checked) detector definition: gap type = id, description =
 * title, scope `repo`, risk medium without blocking, one message worded like the detector.
 * Returns the problems that make it unusable instead (placeholders, remediation that names an
 * undeclared message); `check: false` skips looking for them (the built-ins, which a test checks).
 */
export function resolveDetector(definition: DetectorDefinition<any, any>, check = true): { ok: true; detector: ResolvedDetector } | { ok: false; problems: string[] } {
  const description = definition.description ?? definition.title;
  const messages: Record<string, ResolvedMessage> = {};
  const problems: string[] = [];
  if (!definition.messages) {
    // The default message is the detector's own wording: it has no params to fill.
    const texts = [['title', definition.title], ['description', description]] as const;
    if (check) problems.push(...undeclaredProblems('$', texts, [], 'params: a detector without `messages` has none (declare messages with params)'));
    messages[DEFAULT_MESSAGE_ID] = { title: definition.title, description, signals: [], remediation: `Review and fix: ${definition.title}`, params: [] };
  }
  for (const [id, message] of Object.entries(definition.messages ?? {})) {
    const resolved: ResolvedMessage = {
      title: message.title,
      description: message.description ?? message.title,
      signals: message.signals ?? [],
      remediation: message.remediation ?? `Review and fix: ${message.title}`,
      params: message.params ?? [],
      ...(message.risk ? { risk: message.risk } : {}),
      ...(message.blocks_autopilot !== undefined ? { blocks_autopilot: message.blocks_autopilot } : {}),
    };
    // The declared texts only: a default text repeats the title, whose problems are named once.
    const texts: Array<readonly [string, string]> = [['title', message.title]];
    if (message.description !== undefined) texts.push(['description', message.description]);
    if (message.remediation !== undefined) texts.push(['remediation', message.remediation]);
    resolved.signals.forEach((signal, index) => texts.push([`signals[${index}]`, signal]));
    if (check) problems.push(...undeclaredProblems(`$.messages.${id}`, texts, resolved.params, `params (${resolved.params.length > 0 ? `[${resolved.params.join(', ')}]` : 'none declared'})`));
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
