import * as v from 'valibot';

/** One validation error: a JSON path (`$.gaps[0].gap_type`) and a message. */
export interface ValidationIssue {
  path: string;
  message: string;
}

/**
 * Renders valibot issues with the Python tool's wording, so that
 * messages name the field and carry the keywords tests and users grep for: `minimum`,
 * `maximum`, `pattern`, `date-time`, `Missing required field`.
 */
export function formatIssues(issues: readonly v.BaseIssue<unknown>[]): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const seen = new Set<string>();
  for (const issue of issues) {
    const item = formatIssue(issue);
    const key = `${item.path}\u0000${item.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(item);
  }
  // Missing fields first, then everything else in document order, as the reference does.
  return [
    ...out.filter((i) => i.message.startsWith('Missing required field')),
    ...out.filter((i) => !i.message.startsWith('Missing required field')),
  ];
}

export function issuesToLines(issues: readonly ValidationIssue[]): string[] {
  return issues.map((i) => `${i.path}: ${i.message}`);
}

/** valibot renders the allowed values as `("a" | "b")`; recover them as values. */
function expectedValues(expected: string | null): unknown[] {
  if (!expected) return [];
  const inner = expected.startsWith('(') && expected.endsWith(')') ? expected.slice(1, -1) : expected;
  return inner.split(' | ').map((part) => {
    try {
      return JSON.parse(part);
    } catch {
      return part;
    }
  });
}

const PLAIN_KEY = /^[A-Za-z0-9_$@.:/*-]+$/;

/** `parent.key`, or `parent["…"]` for a key that is not a plain name (a newline, a quote, a space: whatever a file chose), so the path stays one readable line. */
export function keyPath(parent: string, key: string): string {
  return PLAIN_KEY.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

/** A key as a message names it: `'id'`, or JSON-quoted when it is not a plain name. */
export function namedKey(key: string): string {
  return PLAIN_KEY.test(key) ? `'${key}'` : JSON.stringify(key);
}

function pathOf(items: readonly v.IssuePathItem[] | undefined): string {
  let path = '$';
  for (const item of items ?? []) {
    const key = (item as { key: unknown }).key;
    path = typeof key === 'number' ? `${path}[${key}]` : keyPath(path, String(key));
  }
  return path;
}

function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && Number.isInteger(value)) return 'integer';
  return typeof value;
}

function formatIssue(issue: v.BaseIssue<unknown>): ValidationIssue {
  const items = issue.path ?? [];
  const last = items[items.length - 1] as { key?: unknown; origin?: string; input?: unknown } | undefined;
  const requirement = (issue as { requirement?: unknown }).requirement;

  if ((issue.type === 'strict_object' || issue.type === 'object' || issue.type === 'loose_object') && last) {
    const parent = pathOf(items.slice(0, -1));
    const parentInput = last.input;
    const key = String(last.key);
    if (issue.expected === 'never') return { path: parent, message: `Unknown field '${key}' (not allowed here)` };
    const present = parentInput !== null && typeof parentInput === 'object' && key in (parentInput as object);
    if (!present) return { path: parent, message: `Missing required field '${key}'` };
  }

  const path = pathOf(items);
  switch (issue.type) {
    case 'min_value':
      return { path, message: `Value below minimum ${String(requirement)}` };
    case 'max_value':
      return { path, message: `Value above maximum ${String(requirement)}` };
    case 'regex': {
      // A rule with its own wording says what the pattern means; valibot's default does not.
      const meaning = issue.message.startsWith('Invalid ') ? '' : ` (${issue.message})`;
      return { path, message: `Value ${show(issue.input)} does not match pattern '${(requirement as RegExp).source}'${meaning}` };
    }
    case 'picklist':
      return { path, message: `Value ${show(issue.input)} not in allowed values [${expectedValues(issue.expected).map(show).join(', ')}]` };
    case 'literal':
      return { path, message: `Expected constant value ${show(expectedValues(issue.expected)[0])}, got ${show(issue.input)}` };
    case 'iso_timestamp':
      return { path, message: `Invalid ISO 8601 date-time format: ${show(issue.input)} (needs a date, a time and a timezone)` };
    case 'min_length':
      return {
        path,
        message: Array.isArray(issue.input)
          ? `Array too short (min ${String(requirement)} items)`
          : `String too short (min ${String(requirement)})`,
      };
    case 'max_length':
      return {
        path,
        message: Array.isArray(issue.input)
          ? `Array too long (max ${String(requirement)} items)`
          : `String too long (max ${String(requirement)})`,
      };
    case 'integer':
      return { path, message: `Expected type 'integer', got ${show(issue.input)}` };
    case 'string':
    case 'number':
    case 'boolean':
    case 'array':
    case 'object':
    case 'strict_object':
    case 'loose_object':
    case 'record':
    case 'function': {
      const expected = issue.type === 'strict_object' || issue.type === 'loose_object' || issue.type === 'record' ? 'object' : issue.type;
      return { path, message: `Expected type '${expected}', got '${typeName(issue.input)}'` };
    }
    default:
      return { path, message: issue.message };
  }
}

/**
 * Where the input has a list and the output a mapping. valibot's object and record schemas
 * accept an array (an empty one passes, its entries dropped), so `governance_review: []` would
 * be read as an empty section; a list where a mapping belongs is a type error.
 */
function listsReadAsMappings(input: unknown, output: unknown, path: string, found: ValidationIssue[]): ValidationIssue[] {
  if (input === null || output === null || typeof input !== 'object' || typeof output !== 'object') return found;
  if (Array.isArray(input)) {
    if (!Array.isArray(output)) found.push({ path, message: "Expected type 'object', got 'array'" });
    else input.forEach((item, index) => listsReadAsMappings(item, output[index], `${path}[${index}]`, found));
    return found;
  }
  if (Array.isArray(output)) return found;
  for (const key of Object.keys(input)) {
    if (Object.hasOwn(output, key)) listsReadAsMappings((input as Record<string, unknown>)[key], (output as Record<string, unknown>)[key], `${path}.${key}`, found);
  }
  return found;
}

/** Validates `data`; returns the typed output or every issue. */
export function validate<TSchema extends v.GenericSchema>(
  schema: TSchema,
  data: unknown,
): { ok: true; value: v.InferOutput<TSchema> } | { ok: false; issues: ValidationIssue[] } {
  const result = v.safeParse(schema, data);
  if (!result.success) return { ok: false, issues: formatIssues(result.issues) };
  const lists = listsReadAsMappings(data, result.output, '$', []);
  return lists.length > 0 ? { ok: false, issues: lists } : { ok: true, value: result.output };
}
