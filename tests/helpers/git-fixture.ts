import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { createHash } from 'node:crypto';
import { FIXTURE_DATE, fixtureGitEnv } from '../../lib/plugin-kit/fixture-repo.ts';

/** Fixed identity and dates: the same fixture gives the same commit ids every time (as testDetector's). */
export { FIXTURE_DATE };

/** The environment every fixture git command and every CLI under test runs with. */
export function testEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  const env = fixtureGitEnv(process.env);
  delete env.NO_COLOR;
  return {
    ...env,
    // A temp folder is never "inside" whatever repository may enclose the temp dir.
    GIT_CEILING_DIRECTORIES: tmpdir(),
    ...extra,
  };
}

const created: string[] = [];
process.on('exit', () => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temp folder, removed when the test process exits. */
export function tempDir(prefix = 'autopack-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

export type FileTree = Record<string, string | Uint8Array>;

export function writeTree(root: string, files: FileTree): void {
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
}

export interface Fixture {
  dir: string;
  /** Runs git in the fixture (argv only) and returns stdout. */
  git(...args: string[]): string;
  write(files: FileTree): void;
  read(path: string): string;
}

export interface RepoSpec {
  /** Files committed on `main`. */
  files?: FileTree;
  /** Files written after the commit (untracked or modifying tracked ones). */
  worktree?: FileTree;
  /** `false`: a plain folder, no git at all. */
  git?: boolean;
  /** Commit `files` (default true when there are files). */
  commit?: boolean;
  /** The repository folder's name (its default project id); a random temp name otherwise. */
  name?: string;
}

export function gitIn(dir: string, args: readonly string[], options: { allowFailure?: boolean } = {}): string {
  try {
    return execFileSync('git', [...args], { cwd: dir, env: testEnv() as NodeJS.ProcessEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    if (options.allowFailure) return String((error as { stdout?: string }).stdout ?? '');
    throw error;
  }
}

/** Builds a deterministic git repository (or plain folder) in a temp dir. */
export function makeRepo(spec: RepoSpec = {}): Fixture {
  const dir = spec.name ? join(tempDir('autopack-fixture-'), spec.name) : tempDir('autopack-fixture-');
  mkdirSync(dir, { recursive: true });
  const fixture: Fixture = {
    dir,
    git: (...args) => gitIn(dir, args),
    write: (files) => writeTree(dir, files),
    read: (path) => readFileSync(join(dir, path), 'utf8'),
  };
  if (spec.git !== false) {
    gitIn(dir, ['init', '-q', '-b', 'main']);
    gitIn(dir, ['config', 'commit.gpgsign', 'false']);
    gitIn(dir, ['config', 'core.autocrlf', 'false']);
  }
  if (spec.files) writeTree(dir, spec.files);
  if (spec.git !== false && spec.files && spec.commit !== false) {
    gitIn(dir, ['add', '-A']);
    gitIn(dir, ['commit', '-q', '-m', 'fixture']);
  }
  if (spec.worktree) writeTree(dir, spec.worktree);
  return fixture;
}

/** Copies a folder tree (a committed fixture) into `target`. */
export function copyTree(source: string, target: string): void {
  if (existsSync(source)) cpSync(source, target, { recursive: true });
}

/** Every file below `root` (including .git) with a content hash: to prove nothing changed. */
export function snapshotTree(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      const rel = relative(root, full);
      if (entry.isDirectory()) walk(full);
      else if (entry.isSymbolicLink()) out.set(rel, 'symlink');
      else {
        const info = statSync(full);
        out.set(rel, `${createHash('sha256').update(readFileSync(full)).digest('hex')}:${info.mode}:${info.mtimeMs}`);
      }
    }
  };
  walk(root);
  return out;
}

export function setMtime(root: string, path: string, iso: string): void {
  const date = new Date(iso);
  utimesSync(join(root, path), date, date);
}

export function makeExecutable(root: string, path: string): void {
  chmodSync(join(root, path), 0o755);
}
