// The temporary repository testDetector scans: built from a path → content map with real git, so
// a detector sees tracked, staged, modified and untracked files exactly as in a real workspace.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createGit } from '../git/git.ts';
import { normalizeWorkspacePath } from '../governance/paths.ts';

export type FileContent = string | Uint8Array;

/**
 * A file at each stage: in the commit, in the index, in the working tree. `null` is "absent
 * there". What is left out follows the stage before it: `staged` defaults to `committed`,
 * `worktree` to `staged`. So `{ worktree: 'x' }` is an untracked file, `{ committed: 'a',
 * worktree: 'b' }` an unstaged change, `{ staged: 'x' }` a new file added to the index and
 * `{ committed: 'x', worktree: null }` a file deleted but not staged.
 */
export interface FileStates {
  committed?: FileContent | null;
  staged?: FileContent | null;
  worktree?: FileContent | null;
}

/** Path (workspace-relative, POSIX) → content (committed, staged and in the working tree) or its stages. */
export type FixtureFiles = Record<string, FileContent | FileStates>;

/** Fixed identity and dates: the same fixture always gives the same commit, whoever runs it. */
export const FIXTURE_DATE = '2026-01-01T00:00:00Z';

/**
 * The environment fixture git runs with: the caller's, minus what would point git elsewhere,
 * with no system or global config and a fixed author, committer and date.
 */
export function fixtureGitEnv(base: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...base };
  for (const key of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_COMMON_DIR', 'SOURCE_DATE_EPOCH', 'AUTONOMOUS_RUNS_DIR']) delete env[key];
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'Fixture',
    GIT_AUTHOR_EMAIL: 'fixture@example.invalid',
    GIT_COMMITTER_NAME: 'Fixture',
    GIT_COMMITTER_EMAIL: 'fixture@example.invalid',
    GIT_AUTHOR_DATE: FIXTURE_DATE,
    GIT_COMMITTER_DATE: FIXTURE_DATE,
  };
}

interface Staged {
  path: string;
  committed: FileContent | null;
  staged: FileContent | null;
  worktree: FileContent | null;
}

const isContent = (value: unknown): value is FileContent => typeof value === 'string' || value instanceof Uint8Array;

function stagesOf(files: FixtureFiles): Staged[] {
  return Object.entries(files).map(([key, value]) => {
    const normalized = normalizeWorkspacePath(key);
    if (!normalized.ok || normalized.path === '' || normalized.path.split('/')[0] === '.git') {
      throw new TypeError(`fixture path '${key}' must be a relative path inside the repository (and not in .git)`);
    }
    if (isContent(value)) return { path: normalized.path, committed: value, staged: value, worktree: value };
    if (value === null || typeof value !== 'object') throw new TypeError(`fixture file '${key}' must be a string, a Uint8Array or { committed, staged, worktree }`);
    const committed = value.committed ?? null;
    const staged = value.staged === undefined ? committed : value.staged;
    const worktree = value.worktree === undefined ? staged : value.worktree;
    return { path: normalized.path, committed, staged, worktree };
  });
}

function put(root: string, path: string, content: FileContent | null): void {
  const full = join(root, path);
  if (content === null) return rmSync(full, { force: true });
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, content);
}

/**
 * Builds the fixture in `dir` (which must not exist yet): `git init` on `main`, the committed
 * files in one commit (none without committed files), then the index, then the working tree.
 * With `git: false` it is a plain folder holding the working-tree files.
 */
export async function buildFixtureRepo(dir: string, files: FixtureFiles, options: { git: boolean; env: Record<string, string | undefined> }): Promise<void> {
  const stages = stagesOf(files);
  mkdirSync(dir, { recursive: true });
  if (!options.git) {
    for (const file of stages) put(dir, file.path, file.worktree);
    return;
  }
  const git = createGit({ root: dir, env: options.env });
  const run = async (...args: string[]) => {
    const result = await git.run(args, { timeoutMs: 30_000 });
    if (result.exit_code !== 0) throw new Error(`fixture: git ${args.join(' ')} failed: ${(result.error ?? result.stderr).trim()}`);
  };
  await run('init', '-q', '-b', 'main');
  await run('config', 'commit.gpgsign', 'false');
  await run('config', 'core.autocrlf', 'false');
  const committed = stages.filter((file) => file.committed !== null);
  for (const file of committed) put(dir, file.path, file.committed);
  if (committed.length > 0) {
    await run('add', '-A', '--', ...committed.map((file) => `:(literal)${file.path}`));
    await run('commit', '-q', '-m', 'fixture');
  }
  for (const file of stages.filter((f) => f.staged !== f.committed)) {
    put(dir, file.path, file.staged);
    if (file.staged === null) await run('rm', '-q', '--cached', '--', `:(literal)${file.path}`);
    else await run('add', '-f', '--', `:(literal)${file.path}`);
  }
  for (const file of stages.filter((f) => f.worktree !== f.staged)) put(dir, file.path, file.worktree);
}
