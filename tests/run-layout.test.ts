// The run-local layout, atomic writes and the git exclude entry.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileAtomic } from '../lib/fs/atomic-write.ts';
import { ensureRunsDirExcluded } from '../lib/fs/git-exclude.ts';
import { assertSafeId, relativeInside, runBaseDir, runFamily, sanitizeProjectId } from '../lib/fs/run-layout.ts';
import { resolveRunsDir } from '../lib/fs/runs-dir.ts';
import { createGit } from '../lib/git/git.ts';
import { AutopackError } from '../lib/util/errors.ts';
import { makeRepo, tempDir, testEnv } from './helpers/git-fixture.ts';

test('family and collapse rule match the reference', () => {
  assert.is(runFamily('fileorg-country-uk-20251205-132826'), 'fileorg-country-uk');
  assert.is(runFamily('build-1736170000'), 'build');
  assert.is(runFamily('test-run-001'), 'test-run-001');
  assert.is(runBaseDir('/r', 'autopack', 'test-run-001'), '/r/autopack/runs/test-run-001');
  assert.is(runBaseDir('/r', 'p', 'fileorg-country-uk-20251205-132826'), '/r/p/runs/fileorg-country-uk/fileorg-country-uk-20251205-132826');
  assert.is(runBaseDir('/r', 'p', 'build-1736170000'), '/r/p/runs/build/build-1736170000');
  assert.is(runBaseDir('/r', 'p', 'r1'), '/r/p/runs/r1');
  assert.is(runBaseDir('/r', 'runs', 'runs'), '/r/runs');
  // The runs root itself is never collapsed into the run path.
  assert.is(runBaseDir('/x/p', 'p', 'r1'), '/x/p/p/runs/r1');
});

test('run and project ids are validated (no traversal, no separators)', () => {
  for (const bad of ['', '../x', 'a/b', '.hidden', '-flag', 'a b', 'a\\b', 'x'.repeat(129), 'é']) {
    assert.throws(() => assertSafeId('run_id', bad), (error: unknown) => error instanceof AutopackError && /Invalid run_id/.test((error as Error).message), bad);
  }
  for (const good of ['local', 'r1', 'a.b_c-d', 'X'.repeat(128), 'build-1736170000']) assert.is(assertSafeId('run_id', good), good);
  assert.throws(() => runBaseDir('/r', '..', 'r1'), /Invalid project_id/);
});

test('project ids from folder names are sanitised', () => {
  assert.is(sanitizeProjectId('My Repo!'), 'My-Repo');
  assert.is(sanitizeProjectId('.hidden'), 'hidden');
  assert.is(sanitizeProjectId('日本'), 'workspace');
  assert.is(sanitizeProjectId('shop'), 'shop');
});

test('runs dir: flag, then env, then config, then <workspace>/.autonomous_runs; always absolute and real', () => {
  const ws = tempDir();
  const cwd = tempDir();
  const base = { workspace: ws, cwd };
  assert.equal(resolveRunsDir({ ...base, flag: 'f', env: '/e', config: 'c' }), { path: join(cwd, 'f'), source: 'flag' });
  assert.equal(resolveRunsDir({ ...base, env: 'e', config: 'c' }), { path: join(cwd, 'e'), source: 'env' });
  assert.equal(resolveRunsDir({ ...base, config: 'c' }), { path: join(ws, 'c'), source: 'config' });
  assert.equal(resolveRunsDir(base), { path: join(ws, '.autonomous_runs'), source: 'default' });
  assert.is(relativeInside('/ws', '/ws/a/b'), 'a/b');
  assert.is(relativeInside('/ws', '/wsx/a'), undefined);
  assert.is(relativeInside('/ws', '/ws'), '');
});

test('atomic write: content lands whole, no temp file is left, the folder is created', async () => {
  const dir = tempDir();
  const target = join(dir, 'a', 'b', 'file.json');
  await writeFileAtomic(target, 'first');
  await writeFileAtomic(target, 'second');
  assert.is(readFileSync(target, 'utf8'), 'second');
  assert.equal(readdirSync(join(dir, 'a', 'b')), ['file.json']);
});

test('atomic write: a failed rename leaves the target as it was and no temp file', async () => {
  const dir = tempDir();
  const target = join(dir, 'target');
  mkdirSync(join(target, 'inside'), { recursive: true });
  let failed = false;
  try {
    await writeFileAtomic(target, 'x');
  } catch {
    failed = true;
  }
  assert.ok(failed, 'a file cannot replace a non-empty folder');
  assert.ok(statSync(target).isDirectory());
  assert.equal(readdirSync(dir), ['target'], 'no temp file left behind');
});

test('the runs dir is added to .git/info/exclude once, relative to the top level', async () => {
  const repo = makeRepo({ files: { 'a.txt': 'a' } });
  const git = createGit({ root: repo.dir, env: testEnv() });
  assert.is(await ensureRunsDirExcluded(git, repo.dir, join(repo.dir, '.autonomous_runs')), true);
  assert.is(await ensureRunsDirExcluded(git, repo.dir, join(repo.dir, '.autonomous_runs')), false, 'second call adds nothing');
  const exclude = readFileSync(join(repo.dir, '.git/info/exclude'), 'utf8');
  assert.is(exclude.split('\n').filter((line) => line === '/.autonomous_runs/').length, 1);
  writeFileSync(join(repo.dir, 'x.txt'), '');
  repo.write({ '.autonomous_runs/p/runs/r/gaps/gap_report_v1.json': '{}' });
  assert.is(repo.git('status', '--porcelain'), '?? x.txt\n', 'run files never show in git status');

  // A workspace below the top level: the pattern is relative to the top level.
  const nested = makeRepo({ files: { 'pkg/a.txt': 'a' } });
  const sub = join(nested.dir, 'pkg');
  await ensureRunsDirExcluded(createGit({ root: sub, env: testEnv() }), sub, join(sub, '.autonomous_runs'));
  assert.match(readFileSync(join(nested.dir, '.git/info/exclude'), 'utf8'), /^\/pkg\/\.autonomous_runs\/$/m);

  // Outside the workspace or outside a repository: nothing to do.
  assert.is(await ensureRunsDirExcluded(git, repo.dir, join(tempDir(), 'runs')), false);
  const plain = tempDir();
  assert.is(await ensureRunsDirExcluded(createGit({ root: plain, env: testEnv() }), plain, join(plain, '.autonomous_runs')), false);
  assert.not.ok(existsSync(join(plain, '.git')));
});

test.run();
