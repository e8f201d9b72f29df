import { unquoteGitPath } from '../governance/paths.ts';
import type { Git } from './git.ts';
import type { StatusEntry, StatusResult } from './types.ts';

export type { StatusEntry, StatusResult } from './types.ts';

const UNMERGED = new Set(['DD', 'AU', 'UD', 'UA', 'DU', 'AA', 'UU']);

export function isUnmerged(entry: StatusEntry): boolean {
  return UNMERGED.has(entry.x + entry.y);
}

/** The first path of a porcelain field: a C-quoted string, or everything up to ` -> ` (unquoted paths have no spaces). */
function splitPaths(field: string): [string, string | undefined] {
  if (field.startsWith('"')) {
    let i = 1;
    while (i < field.length && field[i] !== '"') i += field[i] === '\\' ? 2 : 1;
    const first = field.slice(0, i + 1);
    const rest = field.slice(i + 1);
    return [first, rest.startsWith(' -> ') ? rest.slice(4) : undefined];
  }
  const arrow = field.indexOf(' -> ');
  return arrow < 0 ? [field, undefined] : [field.slice(0, arrow), field.slice(arrow + 4)];
}

/**
 * Parses `git status --porcelain` (v1, one entry per line). git C-quotes a path that holds a
 * space, a quote, a backslash, a control or (by default) a non-ASCII character, so ` -> ` between
 * the two paths of a rename is unambiguous. Both paths of a rename are kept.
 */
export function parsePorcelain(text: string): StatusEntry[] {
  const entries: StatusEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.length < 4) continue;
    const x = line[0]!;
    const y = line[1]!;
    const [first, second] = x === 'R' || x === 'C' || y === 'R' || y === 'C' ? splitPaths(line.slice(3)) : [line.slice(3), undefined];
    if (second === undefined) entries.push({ x, y, path: unquoteGitPath(first) });
    else entries.push({ x, y, path: unquoteGitPath(second), origPath: unquoteGitPath(first) });
  }
  return entries;
}

/**
 * One `git status --porcelain` for the whole scan: its text feeds the workspace digest, its
 * entries (made relative to the workspace, which may be a sub-folder; entries outside it
 * dropped) feed the detectors.
 */
export async function readStatus(git: Git): Promise<StatusResult> {
  const state = await git.repoState();
  if (!state.isRepo) return { ok: false, text: '', entries: [], error: state.reason ?? 'not a git repository' };
  const result = await git.run(['status', '--porcelain']);
  if (result.exit_code !== 0) return { ok: false, text: '', entries: [], error: result.error ?? result.stderr.trim(), ...(result.error ? { unavailable: true } : {}) };
  const prefix = state.prefix;
  const strip = (path: string) => (prefix === '' ? path : path.startsWith(prefix) ? path.slice(prefix.length) : undefined);
  const entries: StatusEntry[] = [];
  for (const entry of parsePorcelain(result.stdout)) {
    const path = strip(entry.path);
    const origPath = entry.origPath === undefined ? undefined : strip(entry.origPath);
    if (path === undefined && origPath === undefined) continue;
    entries.push({ x: entry.x, y: entry.y, path: path ?? origPath!, ...(origPath && path ? { origPath } : {}) });
  }
  return { ok: true, text: result.stdout, entries };
}
