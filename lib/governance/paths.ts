import { posix } from 'node:path';
import picomatch from 'picomatch';

export type NormalizedPath =
  | { ok: true; path: string }
  | { ok: false; reason: 'empty' | 'absolute' | 'escapes'; input: string };

/**
 * Undoes git's C-quoting (`"docs/sp ace.md"`, `"caf\303\251.md"`) as found in reports built
 * from `git status` without `-z` (the Python tool's). Other strings are returned unchanged.
 */
export function unquoteGitPath(input: string): string {
  if (input.length < 2 || !input.startsWith('"') || !input.endsWith('"')) return input;
  const body = input.slice(1, -1);
  const bytes: number[] = [];
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 };
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!;
    if (char !== '\\') {
      bytes.push(...Buffer.from(char, 'utf8'));
      continue;
    }
    const next = body[i + 1] ?? '';
    const octal = /^[0-7]{3}/.exec(body.slice(i + 1));
    if (octal) {
      bytes.push(Number.parseInt(octal[0], 8));
      i += 3;
    } else if (next in simple) {
      bytes.push(simple[next]!);
      i += 1;
    } else {
      bytes.push(92);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * Normalises a workspace path: git quoting undone, backslashes to `/`, `./` and repeated
 * slashes removed, `..` resolved. Absolute paths (POSIX, drive letters, UNC) and paths that
 * climb out of the workspace are refused, never silently rewritten. `''` is the root.
 */
export function normalizeWorkspacePath(input: string): NormalizedPath {
  const slashed = unquoteGitPath(input).replace(/\\/g, '/');
  if (slashed.trim() === '') return { ok: false, reason: 'empty', input };
  if (slashed.startsWith('/') || /^[A-Za-z]:/.test(slashed)) return { ok: false, reason: 'absolute', input };
  const normalized = posix.normalize(slashed);
  if (normalized === '..' || normalized.startsWith('../')) return { ok: false, reason: 'escapes', input };
  const trimmed = normalized.replace(/\/+$/, '');
  return { ok: true, path: trimmed === '.' ? '' : trimmed };
}

// C0/C1 controls, DEL, zero-width characters, bidi overrides and isolates, BOM.
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/u;
const LATIN = /\p{Script=Latin}/u;
const LOOKALIKE_SCRIPTS = /[\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Armenian}\p{Script=Cherokee}]/u;

/**
 * Why a path is too suspicious for any automatic decision: invisible characters (a name that
 * does not look like what it is) or a segment mixing Latin letters with look-alike scripts
 * (`dоcs` with a Cyrillic `о`).
 */
export function pathHazard(path: string): string | undefined {
  if (INVISIBLE.test(path)) return 'invisible or control characters';
  for (const segment of path.split('/')) {
    if (LATIN.test(segment) && LOOKALIKE_SCRIPTS.test(segment)) return `look-alike characters in '${segment}'`;
  }
  return undefined;
}

const GLOB_CHARS = /[*?[\]{}!]/;

export interface PathPattern {
  /** The pattern as written. */
  source: string;
  test(path: string): boolean;
}

const fold = (text: string) => text.normalize('NFKC');

/**
 * Compiles a path pattern. Plain paths match by whole segments (`src` matches `src/x` but
 * not `srcfoo/x`); globs use picomatch, and a glob without a `/` (`*.tf`, `.env*`) matches a
 * file name at any depth. Anything below a matching folder matches too. Both sides are
 * NFKC-folded, so full-width `ｄｏｃｓ/` is `docs/`. An empty pattern matches nothing (it must
 * never mean "everything"); `.` means the whole workspace.
 */
export function compilePathPattern(source: string): PathPattern {
  if (source.trim() === '') return { source, test: () => false };
  const normalized = normalizeWorkspacePath(fold(source));
  if (!normalized.ok) return { source, test: () => false };
  const pattern = normalized.path;
  if (pattern === '') return { source, test: () => true };
  if (!GLOB_CHARS.test(pattern)) {
    return { source, test: (path) => {
      const folded = fold(path);
      return folded === pattern || folded.startsWith(`${pattern}/`);
    } };
  }
  const matcher = picomatch(pattern, { dot: true, basename: !pattern.includes('/') });
  return {
    source,
    test: (path) => {
      const folded = fold(path);
      if (matcher(folded)) return true;
      // A folder matched by the glob protects everything below it.
      const segments = folded.split('/');
      for (let i = 1; i < segments.length; i++) if (matcher(segments.slice(0, i).join('/'))) return true;
      return false;
    },
  };
}

/** The first pattern (as written) that a normalised path matches, if any. */
export function matchingPattern(path: string, patterns: readonly PathPattern[]): string | undefined {
  return patterns.find((pattern) => pattern.test(path))?.source;
}
