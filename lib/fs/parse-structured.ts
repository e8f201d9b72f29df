import { isAlias, isCollection, isPair, isScalar, Lexer, parseDocument, type ParsedNode, type YAMLError } from 'yaml';
import { AutopackError } from '../util/errors.ts';
import { scanJson, type JsonProblem } from './json-scan.ts';

/**
 * Strict parsing of JSON and YAML inputs. Anything a reader could understand differently
 * from autopack is refused, naming the file and where: invalid UTF-8 and NUL bytes (the byte
 * offset), duplicate keys (JSON.parse and most YAML readers silently keep one of them), YAML
 * tags other than the plain core types, alias bombs, mapping keys that are not plain values,
 * nesting deeper than any artifact needs, and numbers that do not survive as exact finite
 * numbers.
 */

/** Deeper than any autopack artifact or config (they need fewer than ten levels). */
export const MAX_NESTING_DEPTH = 64;
/**
 * Above this nesting bound a YAML text is refused before it is parsed. yaml composes
 * recursively; near the stack limit V8 can abort the whole process (a lazily compiled regex
 * fails with "out of memory") instead of throwing, so deep input must never get that far.
 */
const YAML_PARSE_BOUND = 4 * MAX_NESTING_DEPTH;
/** YAML aliases expanded per document before it counts as an alias bomb. */
export const MAX_YAML_ALIASES = 100;

export interface ParseOptions {
  /** Strict JSON (`.json` files); otherwise YAML 1.2 (core schema). */
  json: boolean;
}

/** Parses bytes already read; every problem is an AutopackError (exit 2) naming `display`. */
export function parseStructuredText(bytes: Uint8Array, display: string, options: ParseOptions): unknown {
  const text = decodeStrict(bytes, display);
  const data = options.json ? parseJson(text, display) : parseYaml(text, display);
  checkValues(data, display);
  return data;
}

/** The offset of the first byte that does not start or continue a valid UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i]!;
    let need = 0;
    let min = 0x80;
    let max = 0xbf;
    if (lead < 0x80) {
      i++;
      continue;
    } else if (lead >= 0xc2 && lead <= 0xdf) need = 1;
    else if (lead >= 0xe0 && lead <= 0xef) {
      need = 2;
      if (lead === 0xe0) min = 0xa0; // overlong
      if (lead === 0xed) max = 0x9f; // UTF-16 surrogates
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      need = 3;
      if (lead === 0xf0) min = 0x90; // overlong
      if (lead === 0xf4) max = 0x8f; // above U+10FFFF
    } else return i;
    for (let k = 1; k <= need; k++) {
      const byte = bytes[i + k];
      const [low, high] = k === 1 ? [min, max] : [0x80, 0xbf];
      if (byte === undefined || byte < low || byte > high) return i;
    }
    i += need + 1;
  }
  return -1;
}

function decodeStrict(bytes: Uint8Array, display: string): string {
  let text: string;
  try {
    // A leading byte-order mark is dropped (ignoreBOM: false).
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new AutopackError(`${display}: invalid UTF-8 at byte offset ${firstInvalidUtf8(bytes)}`, { hint: 'save the file as UTF-8' });
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) throw new AutopackError(`${display}: NUL byte at byte offset ${nul}`, { hint: 'a JSON or YAML file is text; is it binary or UTF-16?' });
  return text;
}

function lineColumn(text: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let k = text.indexOf('\n'); k !== -1 && k < offset; k = text.indexOf('\n', k + 1)) {
    line++;
    lineStart = k + 1;
  }
  return `line ${line}, column ${offset - lineStart + 1}`;
}

function jsonError(text: string, display: string, problem: JsonProblem): AutopackError {
  const where = lineColumn(text, problem.offset);
  if (problem.kind === 'duplicate_key') return new AutopackError(`${display}: duplicate key '${problem.key}' (${where})`, { hint: 'each key may appear once per object' });
  if (problem.kind === 'too_deep') return new AutopackError(`${display}: nested more than ${MAX_NESTING_DEPTH} levels deep (${where})`);
  return new AutopackError(`${display}: invalid JSON (${where}): ${problem.message}`);
}

function parseJson(text: string, display: string): unknown {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const problem = scanJson(text, MAX_NESTING_DEPTH);
    if (problem) throw jsonError(text, display, problem);
    // Not expected (the scan follows the JSON grammar); V8's message may quote the file, so
    // only its first words are kept.
    throw new AutopackError(`${display}: invalid JSON: ${String((error as Error).message).replace(/[,'"].*$/s, '')}`);
  }
  const problem = scanJson(text, MAX_NESTING_DEPTH);
  if (problem && problem.kind !== 'syntax') throw jsonError(text, display, problem);
  return data;
}

/** How yaml turns a scalar key into an object key: `1` and `"1"`, `~` and `null` collide. */
const keyText = (value: unknown) => (value === null || value === undefined ? '' : String(value));

function yamlProblem(display: string, error: YAMLError, duplicateKey: string | undefined): AutopackError {
  const pos = error.linePos?.[0];
  const where = pos ? ` (line ${pos.line}, column ${pos.col})` : '';
  const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  switch (error.code) {
    case 'DUPLICATE_KEY':
      return new AutopackError(`${display}: duplicate key${duplicateKey === undefined ? '' : ` '${duplicateKey}'`}${where}`, { hint: 'each key may appear once per mapping' });
    case 'TAG_RESOLVE_FAILED': {
      const tag = /Unresolved tag: (\S+)/.exec(message)?.[1]?.replace(/^tag:yaml\.org,2002:/, '!!') ?? 'tag';
      return new AutopackError(`${display}: unknown YAML tag ${tag}${where}`, { hint: 'only plain YAML is read: strings, numbers, booleans, null, lists and mappings' });
    }
    case 'RESOURCE_EXHAUSTION':
      return new AutopackError(`${display}: nested too deeply to parse${where}`);
    case 'MULTIPLE_DOCS':
      return new AutopackError(`${display}: invalid YAML${where}: more than one document (a second '---')`);
    default:
      return new AutopackError(`${display}: invalid YAML${where}: ${message}`);
  }
}

/**
 * An upper bound on the nesting of a YAML text, found without composing it: block nesting
 * from the indentation (a stack of widths, as Python reads indentation) plus compact `- `
 * entries, and flow nesting from yaml's lexer, which knows what is quoted.
 */
export function yamlNestingBound(text: string, limit = Infinity): number {
  let block = 0;
  const widths: number[] = [];
  for (const line of text.split('\n')) {
    const match = /^( *)((?:[-?:] +)*)(.?)/.exec(line)!;
    const [, indent = '', compact = '', first = ''] = match;
    if ((first === '' && compact === '') || first === '#') continue;
    while (widths.length > 0 && widths[widths.length - 1]! > indent.length) widths.pop();
    if (widths.length === 0 || widths[widths.length - 1]! < indent.length) widths.push(indent.length);
    block = Math.max(block, widths.length + (compact.match(/[-?:] +/g)?.length ?? 0));
  }
  // Flow nesting cannot exceed the number of openers: most files need no lexing at all.
  let openers = 0;
  for (let index = 0; index < text.length && openers <= limit; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x5b || code === 0x7b) openers++;
  }
  if (block + openers <= limit) return block + openers;
  let flow = 0;
  let deepest = 0;
  for (const token of new Lexer().lex(text)) {
    if (token === '[' || token === '{') deepest = Math.max(deepest, ++flow);
    else if (token === ']' || token === '}') flow = Math.max(0, flow - 1);
  }
  return block + deepest;
}

function parseYaml(text: string, display: string): unknown {
  if (yamlNestingBound(text, YAML_PARSE_BOUND) > YAML_PARSE_BOUND) throw new AutopackError(`${display}: nested too deeply to parse (more than ${MAX_NESTING_DEPTH} levels)`);
  const duplicates: string[] = [];
  const document = parseDocument(text, {
    // YAML 1.2 core types only, whatever `%YAML` directive the file carries: no `<<` merges,
    // no !!binary, !!set, !!timestamp (they would yield Buffers, Sets and Dates).
    schema: 'core',
    merge: false,
    resolveKnownTags: false,
    prettyErrors: true,
    uniqueKeys: (a: ParsedNode, b: ParsedNode) => {
      const same = a === b || (isScalar(a) && isScalar(b) && keyText(a.value) === keyText(b.value));
      if (same) duplicates.push(keyText((a as { value?: unknown }).value));
      return same;
    },
  });
  const first = document.errors[0] ?? document.warnings[0];
  if (first) throw yamlProblem(display, first, first.code === 'DUPLICATE_KEY' ? duplicates[0] : undefined);
  checkYamlNodes(document.contents, text, display);
  try {
    return document.toJS({ maxAliasCount: MAX_YAML_ALIASES }) ?? {};
  } catch (error) {
    const message = String((error as Error).message);
    if (/resource exhaustion/i.test(message)) throw new AutopackError(`${display}: too many YAML aliases (more than ${MAX_YAML_ALIASES} expansions; an alias bomb?)`);
    throw new AutopackError(`${display}: invalid YAML: ${message.split('\n')[0]}`);
  }
}

/** Keys must be plain values (yaml would stringify a list key and warn on the console), and nesting is bounded. */
function checkYamlNodes(root: unknown, text: string, display: string): void {
  const stack: Array<{ node: unknown; depth: number }> = [{ node: root, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (!isCollection(node)) continue;
    const where = () => lineColumn(text, node.range?.[0] ?? 0);
    if (depth >= MAX_NESTING_DEPTH) throw new AutopackError(`${display}: nested more than ${MAX_NESTING_DEPTH} levels deep (${where()})`);
    for (const item of node.items as unknown[]) {
      if (isPair(item)) {
        const key = item.key;
        if (key !== null && !isScalar(key)) {
          const at = lineColumn(text, (key as { range?: number[] }).range?.[0] ?? 0);
          throw new AutopackError(`${display}: a mapping key must be a plain value, not ${isAlias(key) ? 'an alias' : 'a list or mapping'} (${at})`);
        }
        stack.push({ node: item.value, depth: depth + 1 });
      } else stack.push({ node: item, depth: depth + 1 });
    }
  }
}

interface Visit {
  value: unknown;
  key: string | number | undefined;
  parent: Visit | undefined;
  depth: number;
}

/** `$.a[0].b`, built only for an error message (the walk keeps parent links, not paths). */
function pathOf(visit: Visit): string {
  const parts: Array<string | number> = [];
  for (let at: Visit | undefined = visit; at?.key !== undefined; at = at.parent) parts.unshift(at.key);
  return `$${parts.map((part) => (typeof part === 'number' ? `[${part}]` : /^[A-Za-z_][A-Za-z0-9_-]*$/.test(part) ? `.${part}` : `[${JSON.stringify(part)}]`)).join('')}`;
}

/**
 * Every value is plain data, nested at most MAX_NESTING_DEPTH deep (aliases included), and
 * every number exact: `1e400` would become Infinity (written back as null), 2^53 + 1 another
 * number.
 */
function checkValues(data: unknown, display: string): void {
  const stack: Visit[] = [{ value: data, key: undefined, parent: undefined, depth: 0 }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const { value } = visit;
    if (value === null || typeof value === 'string' || typeof value === 'boolean') continue;
    if (typeof value === 'number') {
      if (!Number.isFinite(value) || Math.abs(value) > Number.MAX_SAFE_INTEGER) {
        throw new AutopackError(`${display}: number out of range at ${pathOf(visit)} (numbers must be finite and at most 2^53 in magnitude)`);
      }
      continue;
    }
    if (typeof value !== 'object') throw new AutopackError(`${display}: unsupported value at ${pathOf(visit)}`);
    if (visit.depth >= MAX_NESTING_DEPTH) throw new AutopackError(`${display}: nested more than ${MAX_NESTING_DEPTH} levels deep`);
    const depth = visit.depth + 1;
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) stack.push({ value: value[index], key: index, parent: visit, depth });
    } else {
      const prototype = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) throw new AutopackError(`${display}: unsupported value at ${pathOf(visit)}`);
      for (const key of Object.keys(value)) stack.push({ value: (value as Record<string, unknown>)[key], key, parent: visit, depth });
    }
  }
}
