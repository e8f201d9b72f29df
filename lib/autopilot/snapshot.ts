import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { glob } from 'tinyglobby';
import { computeWorkspaceDigest } from '../git/digest.ts';
import type { Git } from '../git/git.ts';
import { relativeInside } from '../fs/run-layout.ts';
import { DEFAULT_EXCLUDED_DIRS } from '../gaps/file-list.ts';

/** What the workspace looks like: its digest and a fingerprint of every file outside the runs dir. */
export interface WorkspaceSnapshot {
  digest: string;
  files: Map<string, string>;
}

export interface SnapshotChanges {
  created: string[];
  modified: string[];
  deleted: string[];
  digestChanged: boolean;
}

function fingerprint(root: string, path: string): string | undefined {
  try {
    const info = lstatSync(join(root, path));
    return `${info.mode}:${info.size}:${info.mtimeMs}:${info.ino}`;
  } catch {
    return undefined;
  }
}

/**
 * Fingerprints the workspace: every file git can see (tracked, and untracked but not ignored)
 * or, outside a repository, every file of a walk that skips dependency and build folders —
 * minus the runs dir. Size, mode, mtime and inode catch an edit, a replacement and a touch.
 */
export async function snapshotWorkspace(root: string, git: Git, runsDir: string): Promise<WorkspaceSnapshot> {
  const runsRel = relativeInside(root, runsDir);
  const state = await git.repoState();
  let paths: string[] | undefined;
  if (state.isRepo) {
    const listed = await git.run(['ls-files', '--cached', '--others', '--exclude-standard', '-z']);
    if (listed.exit_code === 0) paths = listed.stdout.split('\0').filter((path) => path !== '');
  }
  paths ??= await glob('**', { cwd: root, dot: true, onlyFiles: true, followSymbolicLinks: false, ignore: DEFAULT_EXCLUDED_DIRS.map((dir) => `**/${dir}/**`) });
  const files = new Map<string, string>();
  for (const path of new Set(paths)) {
    if (runsRel && (path === runsRel || path.startsWith(`${runsRel}/`))) continue;
    const print = fingerprint(root, path);
    if (print !== undefined) files.set(path, print);
  }
  return { digest: await computeWorkspaceDigest(git.run), files };
}

export function compareSnapshots(before: WorkspaceSnapshot, after: WorkspaceSnapshot): SnapshotChanges {
  const created: string[] = [];
  const modified: string[] = [];
  const deleted: string[] = [];
  for (const [path, print] of after.files) {
    const old = before.files.get(path);
    if (old === undefined) created.push(path);
    else if (old !== print) modified.push(path);
  }
  for (const path of before.files.keys()) if (!after.files.has(path)) deleted.push(path);
  return { created: created.sort(), modified: modified.sort(), deleted: deleted.sort(), digestChanged: before.digest !== after.digest };
}

export function hasChanges(changes: SnapshotChanges): boolean {
  return changes.digestChanged || changes.created.length + changes.modified.length + changes.deleted.length > 0;
}

export function describeChanges(changes: SnapshotChanges): string {
  const parts = [
    ...changes.created.map((path) => `${path} (created)`),
    ...changes.modified.map((path) => `${path} (modified)`),
    ...changes.deleted.map((path) => `${path} (deleted)`),
  ];
  if (parts.length === 0 && changes.digestChanged) parts.push('the git state (HEAD or status) changed');
  return parts.slice(0, 10).join(', ') + (parts.length > 10 ? ` and ${parts.length - 10} more` : '');
}
