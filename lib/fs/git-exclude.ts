import { lstatIfExists } from './lstat.ts';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import type { Git } from '../git/git.ts';
import { AutopackError } from '../util/errors.ts';
import { relativeInside } from './run-layout.ts';

/**
 * Adds the runs dir to the repository's local `info/exclude` (never a tracked file), so
 * that autopack's own artifacts never show in `git status`, never change the workspace
 * digest and never trip a detector. A no-op outside a repository or when the runs dir
 * lies outside the workspace.
 */
export async function ensureRunsDirExcluded(git: Git, workspace: string, runsDir: string): Promise<boolean> {
  if (relativeInside(workspace, runsDir) === undefined) return false;
  const state = await git.repoState();
  if (!state.isRepo || !state.topLevel) return false;
  // Patterns in info/exclude are relative to the top level, not to a sub-folder workspace.
  const rel = relativeInside(state.topLevel, runsDir);
  if (rel === undefined || rel === '') return false;
  const result = await git.run(['rev-parse', '--git-path', 'info/exclude']);
  if (result.exit_code !== 0) return false;
  const raw = result.stdout.trim();
  const excludeFile = isAbsolute(raw) ? raw : join(workspace, raw);
  const line = `/${rel}/`;
  // .git/info/exclude is git's own file: never followed out through a symlink.
  for (const path of [dirname(excludeFile), excludeFile]) {
    if (lstatIfExists(path)?.isSymbolicLink()) throw new AutopackError(`Refusing to write ${path}: it is a symlink`);
  }
  // Nor read or appended to when it is anything but a file (a FIFO would hang the command).
  const info = lstatIfExists(excludeFile);
  if (info && !info.isFile()) throw new AutopackError(`Refusing to write ${excludeFile}: it is not a regular file`);
  const current = await readFile(excludeFile, 'utf8').catch(() => '');
  if (current.split(/\r?\n/).some((existing) => existing.trim() === line)) return false;
  await mkdir(dirname(excludeFile), { recursive: true });
  const prefix = current === '' || current.endsWith('\n') ? '' : '\n';
  await appendFile(excludeFile, `${prefix}# autopack run-local artifacts\n${line}\n`);
  return true;
}
