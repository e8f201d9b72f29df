import { lstatIfExists } from '../fs/lstat.ts';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Git } from '../git/git.ts';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import { displayCommand } from '../runner/run-check.ts';
import { AutopackError } from '../util/errors.ts';

/** The line that marks a hook as autopack's own: only such a hook is ever replaced. */
export const HOOK_MARKER = '# Written by `autopack hooks install`';

export interface HookPlan {
  /** Where the hook goes (git's hooks folder, `core.hooksPath` honoured). */
  path: string;
  content: string;
  /** An autopack hook is there already (it is replaced); none is there (it is created). */
  replaces: boolean;
}

/**
 * The command the hook runs: the project's own autopack when it has one (git runs hooks at the
 * top of the work tree, so the relative path holds; not through npx, whose own start-up would
 * cost more than the scan), else this one, by absolute path.
 */
export function hookCommand(root: string, binPath: string): string {
  const local = join(root, 'node_modules', '.bin', 'autopack');
  // Quoted for sh: an install path with `$`, a backtick or a quote stays one word and expands nothing.
  const program = existsSync(local) ? './node_modules/.bin/autopack' : displayCommand(['node', binPath]);
  return `${program} gaps scan --staged --format text`;
}

export function hookScript(command: string): string {
  return [
    '#!/bin/sh',
    HOOK_MARKER,
    '# Stops a commit that stages debris: conflict markers, non-UTF-8 text, new root notes,',
    '# large binaries, production DEBUG. Judges the index (what is being committed), runs no',
    '# repository code. Skip once with `git commit --no-verify`.',
    `exec ${command}`,
    '',
  ].join('\n');
}

/**
 * Where and what the pre-commit hook would be. A hook autopack did not write is never
 * overwritten: the message says how to add autopack to it (or to the hook manager in charge).
 */
export async function planPreCommitHook(git: Git, root: string, binPath: string): Promise<HookPlan> {
  const result = await git.run(['rev-parse', '--git-common-dir']);
  if (result.exit_code !== 0) throw new AutopackError(`Not a git repository: ${root}`, { hint: 'run it inside the repository whose commits autopack should check' });
  // The repository's own setting (autopack's git runs with hooks off, so it must not ask for the effective one).
  const hooksPath = (await git.run(['config', '--local', '--get', 'core.hooksPath'])).stdout.trim();
  // Hooks that live elsewhere are someone else's to change: the line to add is printed instead.
  const elsewhere = (where: string) =>
    new AutopackError(`${where}: autopack does not write there`, {
      extraLines: [`  add this line to its pre-commit hook: ${hookCommand(root, binPath)}`],
      hint: 'see docs/HOOKS.md for husky, lefthook and pre-commit',
    });
  if (hooksPath !== '') throw elsewhere(`This repository's hooks live in ${hooksPath} (core.hooksPath, a hook manager such as husky)`);
  const common = result.stdout.trim();
  const hooksDir = join(isAbsolute(common) ? common : join(root, common), 'hooks');
  // A hooks folder that is a link is shared (with other repositories, or a manager's folder): not this repository's alone to change.
  if (lstatIfExists(hooksDir)?.isSymbolicLink()) throw elsewhere(`This repository's hooks folder ${hooksDir} is a link to ${realpathSync(hooksDir)}`);
  const path = join(hooksDir, 'pre-commit');
  const content = hookScript(hookCommand(root, binPath));
  const info = lstatIfExists(path);
  if (!info) return { path, content, replaces: false };
  const existing = info.isFile() ? readFileSync(path, 'utf8') : '';
  if (!existing.includes(HOOK_MARKER)) {
    throw new AutopackError(`${path} exists and autopack did not write it: refusing to replace it`, {
      extraLines: [`  add this line to it instead: ${hookCommand(root, binPath)}`],
      hint: 'with pre-commit, lefthook or husky, add autopack to their config instead (see docs/HOOKS.md)',
    });
  }
  return { path, content, replaces: true };
}

export async function writePreCommitHook(plan: HookPlan): Promise<void> {
  await writeFileAtomic(plan.path, plan.content);
  const { chmodSync } = await import('node:fs');
  chmodSync(plan.path, 0o755);
}
