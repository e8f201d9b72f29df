import picomatch from 'picomatch';
import { posix } from 'node:path';

export type NormalizedPath = { ok: true; path: string } | { ok: false; reason: 'empty' | 'absolute' | 'escapes' | 'control_characters'; input: string };

/**
 * Normalises a workspace path: backslashes to `/`, `./` and repeated slashes removed, `..`
 * resolved. Absolute paths (POSIX, drive letters, UNC) and paths that climb out of the
 * workspace are refused, never silently rewritten.
 */
export function normalizeWorkspacePath(input: string): NormalizedPath {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f]/.test(input)) return { ok: false, reason: 'control_characters', input };
  const slashed = input.replace(/\\/g, '/');
  if (slashed.trim() === '') return { ok: false, reason: 'empty', input };
  if (slashed.startsWith('/') || /^[A-Za-z]:/.test(slashed)) return { ok: false, reason: 'absolute', input };
  const normalized = posix.normalize(slashed);
  if (normalized === '..' || normalized.startsWith('../')) return { ok: false, reason: 'escapes', input };
  const trimmed = normalized.replace(/\/+$/, '');
  if (trimmed === '' || trimmed === '.') return { ok: true, path: '' };
  return { ok: true, path: trimmed };
}

const GLOB_CHARS = /[*?[\]{}!]/;

export interface PathPattern {
  /** The pattern as written. */
  source: string;
  test(path: string): boolean;
}

/**
 * Compiles a protected-path pattern. Plain paths match by whole segments (`src` matches
 * `src/x` but not `srcfoo/x`); globs use picomatch, and a glob without a `/` (`*.tf`,
 * `.env*`) matches a file name at any depth. Anything below a matching folder matches
 * too. An empty pattern matches nothing (it must never mean "everything").
 */
export function compilePathPattern(source: string): PathPattern {
  const normalized = normalizeWorkspacePath(source);
  if (!normalized.ok || normalized.path === '') return { source, test: () => false };
  const pattern = normalized.path;
  if (!GLOB_CHARS.test(pattern)) {
    return { source, test: (path) => path === pattern || path.startsWith(`${pattern}/`) };
  }
  const matcher = picomatch(pattern, { dot: true, basename: !pattern.includes('/') });
  return {
    source,
    test: (path) => {
      if (matcher(path)) return true;
      // A folder matched by the glob protects everything below it.
      const segments = path.split('/');
      for (let i = 1; i < segments.length; i++) if (matcher(segments.slice(0, i).join('/'))) return true;
      return false;
    },
  };
}

/** The first pattern (as written) that a normalised path matches, if any. */
export function matchingPattern(path: string, patterns: readonly PathPattern[]): string | undefined {
  return patterns.find((pattern) => pattern.test(path))?.source;
}
