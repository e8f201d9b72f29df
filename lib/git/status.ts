import type { Git } from './git.ts';

export interface StatusEntry {
  /** Index (staged) status letter. */
  x: string;
  /** Work-tree status letter. */
  y: string;
  /** Path relative to the repository top level, as git prints it (never quoted with -z). */
  path: string;
  /** For renames and copies: the original path. */
  origPath?: string;
}

const UNMERGED = new Set(['DD', 'AU', 'UD', 'UA', 'DU', 'AA', 'UU']);

export function isUnmerged(entry: StatusEntry): boolean {
  return UNMERGED.has(entry.x + entry.y);
}

/**
 * Parses `git status --porcelain=v1 -z`: NUL-terminated records, no C-quoting, and for a
 * rename or copy the original path as the next record. Both paths of a rename are kept.
 */
export function parsePorcelainZ(output: string): StatusEntry[] {
  const records = output.split('\0');
  const entries: StatusEntry[] = [];
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    if (record.length < 4) continue;
    const entry: StatusEntry = { x: record[0]!, y: record[1]!, path: record.slice(3) };
    if (entry.x === 'R' || entry.x === 'C' || entry.y === 'R' || entry.y === 'C') {
      const orig = records[i + 1];
      if (orig !== undefined && orig !== '') entry.origPath = orig;
      i += 1;
    }
    entries.push(entry);
  }
  return entries;
}

/**
 * Status entries with paths made relative to the workspace (which may be a sub-folder of
 * the repository); entries outside the workspace are dropped.
 */
export async function readStatus(git: Git): Promise<{ ok: boolean; entries: StatusEntry[]; error?: string }> {
  const state = await git.repoState();
  if (!state.isRepo) return { ok: false, entries: [], error: state.reason ?? 'not a git repository' };
  const result = await git.run(['status', '--porcelain=v1', '-z', '--untracked-files=all', '--ignore-submodules=dirty']);
  if (result.exit_code !== 0) return { ok: false, entries: [], error: result.error ?? result.stderr.trim() };
  const prefix = state.prefix;
  const strip = (path: string) => (prefix === '' ? path : path.startsWith(prefix) ? path.slice(prefix.length) : undefined);
  const entries: StatusEntry[] = [];
  for (const entry of parsePorcelainZ(result.stdout)) {
    const path = strip(entry.path);
    const origPath = entry.origPath === undefined ? undefined : strip(entry.origPath);
    if (path === undefined && origPath === undefined) continue;
    entries.push({ x: entry.x, y: entry.y, path: path ?? origPath!, ...(origPath && path ? { origPath } : {}) });
  }
  return { ok: true, entries };
}
