// A deterministic corpus of malformed inputs, mutated from valid seed files by a seeded PRNG.
// Each variant says whether it is malformed by construction (and, where the mutation decides
// it, what the error must say), or whether a random mutation happened to leave a valid file:
// those are recognised by an oracle (a lenient parse plus the artifact's schema) and are not
// counted as malformed.
import { parse as parseYamlLeniently, stringify as toYaml } from 'yaml';
import { validateArtifact, type ArtifactName } from '../../lib/contracts/artifacts.ts';

export type SeedKind = 'config' | 'intention_anchor_v2' | 'gap_report_v1' | 'plan_proposal_v1';

export interface Seed {
  /** Used in file names: `config-yaml`. */
  name: string;
  kind: SeedKind;
  format: 'json' | 'yaml';
  data: Record<string, unknown>;
}

export type SpecialFile = { special: 'fifo' | 'folder' | 'symlink_to_folder' | 'symlink_to_dev_zero' | 'dangling_symlink' | 'sparse_giant' };

export interface Variant {
  mutation: string;
  content: Uint8Array | SpecialFile;
  /** False when the mutation left a valid file: run, but not counted as malformed. */
  malformed: boolean;
  /** What the error must say, when the mutation decides it (an offset, a key). */
  expect?: RegExp;
}

/** mulberry32: small, fast and the same on every platform. */
export function createPrng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (below: number) => Math.floor(next() * below), pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]! };
}

type Path = Array<string | number>;
const encode = (text: string) => new TextEncoder().encode(text);
const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function serialize(seed: Seed, data: unknown): string {
  return seed.format === 'json' ? `${JSON.stringify(data, null, 2)}\n` : toYaml(data);
}

/** Every object (`objects`) and every scalar or array leaf position (`leaves`) of the data. */
function positions(data: unknown): { objects: Path[]; values: Path[] } {
  const objects: Path[] = [];
  const values: Path[] = [];
  const walk = (value: unknown, path: Path) => {
    if (value !== null && typeof value === 'object') {
      if (!Array.isArray(value)) objects.push(path);
      if (path.length > 0) values.push(path);
      for (const [key, item] of Object.entries(value)) walk(item, [...path, Array.isArray(value) ? Number(key) : key]);
    } else if (path.length > 0) values.push(path);
  };
  walk(data, []);
  return { objects, values };
}

function withValue(data: unknown, path: Path, value: unknown): unknown {
  const copy = structuredClone(data) as Record<string | number, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  at[path[path.length - 1]!] = value;
  return copy;
}

/** The value of another JSON type: a string becomes a number, a list a mapping, and so on. */
function wrongType(value: unknown): unknown {
  if (typeof value === 'string') return 12345;
  if (typeof value === 'number') return 'a-string';
  if (typeof value === 'boolean') return 'yes';
  if (Array.isArray(value)) return { not: 'a list' };
  if (value === null) return [1];
  return ['not', 'a', 'mapping'];
}

/** A lenient reading plus the schema: is this text still a valid artifact? */
function stillValid(seed: Seed, bytes: Uint8Array): boolean {
  let data: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    if (text.includes('\u0000')) return false;
    data = seed.format === 'json' ? JSON.parse(text) : (parseYamlLeniently(text) ?? {});
  } catch {
    return false;
  }
  return validateArtifact(seed.kind as ArtifactName, data).ok;
}

/** Top-level keys each artifact requires (configs require none). */
const REQUIRED: Record<SeedKind, string[]> = {
  config: [],
  intention_anchor_v2: ['format_version', 'project_id', 'created_at', 'raw_input_digest', 'pivot_intentions'],
  gap_report_v1: ['format_version', 'project_id', 'run_id', 'generated_at', 'gaps'],
  plan_proposal_v1: ['format_version', 'project_id', 'run_id', 'generated_at', 'anchor_id', 'gap_report_id', 'actions'],
};

const TAGS = ['!foo', '!!js/function', '!!python/object/apply:os.system', '!!binary', '!!timestamp', '!!set', '!<tag:example.com,2000:x>', '!!js/regexp'];
const HUGE = ['1e400', '-1e400', '9007199254740993', '123456789012345678901234567890'];
const ALIAS_BOMB = ['zz_a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((name, i) => `zz_${name}: &${name} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`)].join('\n');

/** Every malformed (and every accidentally valid) variant of one seed. */
export function mutate(seed: Seed, prngSeed: number): Variant[] {
  const random = createPrng(prngSeed);
  const text = serialize(seed, seed.data);
  const bytes = encode(text);
  const variants: Variant[] = [];
  const add = (mutation: string, content: Uint8Array | string | SpecialFile, malformed: boolean, expect?: RegExp) =>
    variants.push({ mutation, content: typeof content === 'string' ? encode(content) : content, malformed, ...(expect ? { expect } : {}) });
  const byOracle = (mutation: string, content: Uint8Array) => add(mutation, content, !stillValid(seed, content));
  const yaml = seed.format === 'yaml';
  const { objects, values } = positions(seed.data);
  const asciiAt = (limit: number) => {
    for (;;) {
      const at = random.int(limit);
      if (bytes[at]! < 0x80) return at;
    }
  };
  const placeholder = (mutation: string, literal: string, expect: RegExp) => {
    const marker = '__AUTOPACK_FUZZ__';
    add(mutation, serialize(seed, withValue(seed.data, random.pick(values), marker)).replace(yaml ? marker : `"${marker}"`, literal), true, expect);
  };

  // Bytes: invalid UTF-8 (an ASCII byte with the high bit set is never part of a valid sequence) and NUL bytes.
  for (let i = 0; i < 20; i++) {
    const at = asciiAt(bytes.length);
    const copy = bytes.slice();
    copy[at] = 0x80 + random.int(0x80);
    add('invalid_utf8', copy, true, new RegExp(`invalid UTF-8 at byte offset ${at}$`, 'm'));
  }
  for (let i = 0; i < 12; i++) {
    const at = asciiAt(bytes.length);
    add('nul_byte', new Uint8Array([...bytes.subarray(0, at), 0, ...bytes.subarray(at)]), true, new RegExp(`NUL byte at byte offset ${at}$`, 'm'));
  }
  // Truncations: a proper prefix of a JSON object is never JSON; a YAML prefix may still be valid.
  const lastSignificant = text.trimEnd().length;
  for (let i = 0; i < 30; i++) {
    const cut = 1 + random.int(lastSignificant - 1);
    const content = bytes.slice(0, cut);
    if (yaml) byOracle('truncate', content);
    else add('truncate', content, true);
  }
  // Random byte substitutions: mostly malformed, judged by the oracle.
  for (let i = 0; i < 20; i++) {
    const copy = bytes.slice();
    copy[asciiAt(bytes.length)] = random.pick([0x7b, 0x7d, 0x5b, 0x5d, 0x3a, 0x2c, 0x22, 0x27, 0x2d, 0x09, 0x23, 0x26, 0x2a, 0x21, 0x7c, 0x3e, 0x20, 0x0a]);
    byOracle('byte_substitution', copy);
  }
  // Duplicate keys: a scalar member's line repeated in the same mapping.
  const lines = text.split('\n');
  const memberLine = yaml ? /^(\s*)([A-Za-z_][\w-]*): (?![[{|>]).+$/ : /^(\s*)"([^"\\]+)": (?![[{]\s*$).*$/;
  const members = lines.map((line, index) => [line, index] as const).filter(([line]) => memberLine.test(line));
  for (let i = 0; i < 12; i++) {
    const [line, index] = random.pick(members);
    const key = memberLine.exec(line)![2]!;
    const copy = [...lines];
    copy.splice(index, 0, yaml || line.endsWith(',') ? line : `${line},`);
    add('duplicate_key', copy.join('\n'), true, new RegExp(`duplicate key '${escapeRegex(key)}'`));
  }
  // Unknown tags before a scalar value (YAML), or as text that is not JSON.
  for (const tag of TAGS) {
    const [line, index] = random.pick(members);
    const copy = [...lines];
    copy[index] = line.replace(/: /, `: ${tag} `);
    add('unknown_tag', copy.join('\n'), true, yaml ? /unknown YAML tag/ : /invalid JSON/);
  }
  add('alias_bomb', yaml ? `${text}${ALIAS_BOMB}\n` : `${ALIAS_BOMB}\n${text}`, true, yaml ? /too many YAML aliases/ : /invalid JSON/);
  if (yaml) add('alias_bomb_first', `${ALIAS_BOMB}\n${text}`, true, /too many YAML aliases/);
  for (const depth of [65, 100, 1000, 100_000]) placeholder('deep_nesting', `${'['.repeat(depth)}${']'.repeat(depth)}`, /nested/);
  for (const literal of HUGE) placeholder('huge_number', literal, /number out of range/);
  if (yaml) for (const literal of ['.inf', '-.inf', '.nan']) placeholder('huge_number', literal, /number out of range/);

  // Structure: unknown keys, wrong types, missing required keys.
  // At most a sample of positions, so that a large seed does not dominate the run time.
  const sample = <T>(items: readonly T[], count: number): T[] => {
    const pool = [...items];
    const chosen: T[] = [];
    while (chosen.length < count && pool.length > 0) chosen.push(pool.splice(random.int(pool.length), 1)[0]!);
    return chosen;
  };
  for (const [index, path] of sample(objects, 12).entries()) add('unknown_key', serialize(seed, withValue(seed.data, [...path, `unexpected_key_${index}`], true)), true);
  // valibot's object schemas let an empty array through; a list is never a mapping.
  for (const path of sample(objects.filter((path) => path.length > 0), 10)) add('empty_list_for_mapping', serialize(seed, withValue(seed.data, path, [])), true);
  for (const path of sample(values, 30)) {
    const current = path.reduce<unknown>((at, key) => (at as Record<string | number, unknown>)[key], seed.data);
    add('wrong_type', serialize(seed, withValue(seed.data, path, wrongType(current))), true);
  }
  for (const key of REQUIRED[seed.kind]) {
    const copy = { ...seed.data };
    delete copy[key];
    add('missing_required', serialize(seed, copy), true);
  }
  for (const root of [[], 'a string', 42, null, true]) add('wrong_root', serialize(seed, root), !(seed.kind === 'config' && yaml && root === null));

  // Whole-file changes, some of which must stay valid.
  add('empty', '', !(seed.kind === 'config' && yaml));
  add('crlf', text.replace(/\n/g, '\r\n'), false);
  add('bom', new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]), false);
  byOracle('double_bom', new Uint8Array([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, ...bytes]));
  const utf16 = Buffer.from(`\ufeff${text}`, 'utf16le');
  add('utf16', new Uint8Array(utf16), true, /invalid UTF-8 at byte offset 0$/m);
  add('trailing_garbage', `${text}\n}}} garbage`, true);
  add(yaml ? 'second_document' : 'second_value', yaml ? `${text}---\nmore: 1\n` : `${text}${text}`, true);
  if (yaml) add('tab_indent', text.replace(/\n {2}(\S)/, '\n\t$1'), true);
  for (const special of ['fifo', 'folder', 'symlink_to_folder', 'symlink_to_dev_zero', 'dangling_symlink', 'sparse_giant'] as const) add(special, { special }, true);
  return variants;
}
