import { lstatSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { AutopackError } from '../util/errors.ts';

export const DEFAULT_RUNS_DIR_NAME = '.autonomous_runs';

export type RunsDirSource = 'flag' | 'env' | 'config' | 'default';

export interface ResolvedRunsDir {
  /** The runs dir's real path: symlinks resolved once, here; every write re-checks against it. */
  path: string;
  source: RunsDirSource;
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * The real path of a folder that may not exist yet: the deepest existing ancestor resolved with
 * realpath, the rest appended. Any existing component from `from` down that is a symlink is
 * refused — a committed `.autonomous_runs -> src/` must not send autopack's writes into `src/`.
 */
function realTarget(path: string, from: string, what: string): string {
  let existing = path;
  const rest: string[] = [];
  for (;;) {
    try {
      lstatSync(existing);
      break;
    } catch {
      const parent = dirname(existing);
      if (parent === existing) break;
      rest.unshift(existing.slice(parent.length + (parent.endsWith(sep) ? 0 : 1)));
      existing = parent;
    }
  }
  // Symlinks below `from` (the workspace, or the folder the operator named) are refused.
  for (let current = existing; isInside(from, current) && current !== from; current = dirname(current)) {
    if (lstatSync(current).isSymbolicLink()) {
      throw new AutopackError(`${what} ${path} goes through the symlink ${current}: refusing to write through it`, {
        hint: 'point --runs-dir (or AUTONOMOUS_RUNS_DIR) at a real folder',
      });
    }
  }
  if (existing === path && lstatSync(path).isSymbolicLink()) {
    throw new AutopackError(`${what} ${path} is a symlink: refusing to write through it`, { hint: 'point --runs-dir at a real folder' });
  }
  if (existing === path && !lstatSync(path).isDirectory()) throw new AutopackError(`${what} ${path} is not a folder`);
  return join(realpathSync(existing), ...rest);
}

/**
 * Resolves the runs root once: `--runs-dir`, then `AUTONOMOUS_RUNS_DIR` (relative to the current
 * folder), then the config's `runs_dir` (relative to the workspace), then
 * `<workspace>/.autonomous_runs`. What the operator names (flag, environment) may lie anywhere;
 * what the repository names (its config) must lie inside the workspace; nothing may be the
 * workspace itself, inside `.git`, or reached through a symlink. Whether it holds tracked
 * content is checked by `refuseTrackedRunsDir` (it needs git).
 */
export function resolveRunsDir(options: { workspace: string; cwd: string; flag?: string | undefined; env?: string | undefined; config?: string | undefined }): ResolvedRunsDir {
  const workspace = realpathSync(options.workspace);
  const [source, raw, base]: [RunsDirSource, string, string] = options.flag
    ? ['flag', options.flag, options.cwd]
    : options.env
      ? ['env', options.env, options.cwd]
      : options.config
        ? ['config', options.config, options.workspace]
        : ['default', DEFAULT_RUNS_DIR_NAME, options.workspace];
  const what = source === 'flag' ? '--runs-dir' : source === 'env' ? 'AUTONOMOUS_RUNS_DIR' : source === 'config' ? 'runs_dir (config)' : 'the runs dir';
  const lexical = resolve(base, raw);
  const from = isInside(options.workspace, lexical) ? options.workspace : dirname(lexical);
  const path = realTarget(lexical, from, what);
  if (source === 'config' && !isInside(workspace, path)) {
    throw new AutopackError(`${what} '${raw}' resolves to ${path}, outside the workspace: a repository's config may only name a folder inside it`, {
      hint: 'use --runs-dir or AUTONOMOUS_RUNS_DIR for a runs dir elsewhere',
    });
  }
  if (path === workspace) throw new AutopackError(`${what} '${raw}' is the workspace itself: autopack's files would mix with the repository's`);
  const rel = relative(workspace, path).split(sep);
  if (isInside(workspace, path) && rel[0] === '.git') throw new AutopackError(`${what} '${raw}' lies inside .git`);
  return { path, source };
}

/** The runs dir relative to the workspace, when it lies inside. */
export function runsDirInside(workspace: string, runsDir: string): string | undefined {
  const real = (() => {
    try {
      return realpathSync(workspace);
    } catch {
      return workspace;
    }
  })();
  if (!isInside(real, runsDir) || real === runsDir) return undefined;
  return relative(real, runsDir).split(sep).join('/');
}
