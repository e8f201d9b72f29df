import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyTree, FIXTURE_DATE, gitIn, setMtime, tempDir, testEnv, writeTree } from './git-fixture.ts';

export const FIXTURES_DIR = new URL('../fixtures/detectors/', import.meta.url).pathname;

type SetupStep =
  | string[]
  | { run: string[]; allow_failure?: boolean }
  | { write: Record<string, string> }
  | { mtime: Record<string, string> }
  | { chmod: Record<string, string> }
  | { remove: string[] }
  | { delete_object_of: string };

export interface ExpectedGap {
  gap_id?: string;
  gap_type?: string;
  /** Which of the detector's messages worded the gap (with the detector, its rule id). */
  message_id: string;
  title?: string;
  risk_classification?: string;
  blocks_autopilot?: boolean;
  file_paths?: string[];
  test_names?: string[];
  signals_include?: string[];
  exit_code?: number;
}

export interface FixtureSpec {
  description: string;
  /** false: a plain folder without git. */
  git?: boolean;
  /** false: git init but no commit (unborn branch). */
  commit?: boolean;
  setup?: SetupStep[];
  /** Written to a file outside the repository and passed as --config. */
  config?: Record<string, unknown>;
  /** Fixed clock for the scan. */
  clock?: string;
  expect: ExpectedGap[];
  /** Substrings expected in metadata.notes / skipped reasons. */
  notes_include?: string[];
}

export interface FixtureCase {
  detector: string;
  name: string;
  dir: string;
  spec: FixtureSpec;
}

export function listFixtureCases(): FixtureCase[] {
  const cases: FixtureCase[] = [];
  for (const detector of readdirSync(FIXTURES_DIR).sort()) {
    for (const name of readdirSync(join(FIXTURES_DIR, detector)).sort()) {
      const dir = join(FIXTURES_DIR, detector, name);
      const spec = JSON.parse(readFileSync(join(dir, 'fixture.json'), 'utf8')) as FixtureSpec;
      cases.push({ detector, name, dir, spec });
    }
  }
  return cases;
}

function runStep(root: string, step: SetupStep): void {
  if (Array.isArray(step)) {
    execFileSync(step[0]!, step.slice(1), { cwd: root, env: testEnv() as NodeJS.ProcessEnv, stdio: 'ignore' });
  } else if ('run' in step) {
    try {
      execFileSync(step.run[0]!, step.run.slice(1), { cwd: root, env: testEnv() as NodeJS.ProcessEnv, stdio: 'ignore' });
    } catch (error) {
      if (!step.allow_failure) throw error;
    }
  } else if ('write' in step) writeTree(root, step.write);
  else if ('mtime' in step) for (const [path, iso] of Object.entries(step.mtime)) setMtime(root, path, iso);
  else if ('chmod' in step) for (const [path, mode] of Object.entries(step.chmod)) chmodSync(join(root, path), Number.parseInt(mode, 8));
  else if ('remove' in step) for (const path of step.remove) rmSync(join(root, path), { recursive: true, force: true });
  else if ('delete_object_of' in step) {
    const hash = gitIn(root, ['rev-parse', `HEAD:${step.delete_object_of}`]).trim();
    rmSync(join(root, '.git', 'objects', hash.slice(0, 2), hash.slice(2)), { force: true });
  }
}

/** Builds the workspace of a fixture case: commit/ committed, worktree/ written, setup run. */
export function buildFixture(fixture: FixtureCase): { root: string; configPath?: string; clock: Date } {
  const root = tempDir(`autopack-${fixture.detector}-${fixture.name}-`);
  const { spec } = fixture;
  if (spec.git !== false) {
    gitIn(root, ['init', '-q', '-b', 'main']);
    gitIn(root, ['config', 'commit.gpgsign', 'false']);
  }
  copyTree(join(fixture.dir, 'commit'), root);
  if (spec.git !== false && spec.commit !== false && existsSync(join(fixture.dir, 'commit'))) {
    gitIn(root, ['add', '-A']);
    gitIn(root, ['commit', '-q', '-m', 'fixture']);
  }
  copyTree(join(fixture.dir, 'worktree'), root);
  for (const step of spec.setup ?? []) runStep(root, step);
  let configPath: string | undefined;
  if (spec.config) {
    configPath = join(tempDir('autopack-config-'), 'autopack.config.json');
    writeFileSync(configPath, JSON.stringify(spec.config, null, 2));
  }
  return { root, ...(configPath ? { configPath } : {}), clock: new Date(spec.clock ?? FIXTURE_DATE) };
}
