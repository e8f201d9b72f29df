// Writes stay in the runs dir: a hostile repository (symlinks, a config naming a folder outside)
// or a runs dir inside tracked content gets a clear exit 2 and nothing is written anywhere.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeRunFile } from '../lib/fs/run-write.ts';
import { runBin } from './helpers/cli.ts';
import { makeRepo, snapshotTree, tempDir, testEnv } from './helpers/git-fixture.ts';

function repoWith(extra: Record<string, string> = {}) {
  return makeRepo({ files: { 'README.md': '# r\n', 'src/app.py': 'print(1)\n', 'docs/a.md': 'a\n', ...extra } });
}

async function refused(repo: ReturnType<typeof makeRepo>, args: string[], pattern: RegExp, env: Record<string, string> = {}) {
  const outside = tempDir('autopack-outside-');
  const before = snapshotTree(repo.dir);
  const outsideBefore = snapshotTree(outside);
  const result = await runBin(args, { cwd: repo.dir, env: testEnv(env) });
  assert.is(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
  assert.match(result.stderr, pattern);
  assert.not.match(result.stderr, /\n\s+at /, 'no stack trace');
  assert.equal(snapshotTree(repo.dir), before, 'nothing written in the repository (.git included)');
  assert.equal(snapshotTree(outside), outsideBefore);
}

test('a committed .autonomous_runs symlink (into src/ or out of the repository) is refused', async () => {
  const intoSrc = repoWith();
  symlinkSync('src', join(intoSrc.dir, '.autonomous_runs'));
  intoSrc.git('add', '.autonomous_runs');
  intoSrc.git('commit', '-qm', 'symlink');
  await refused(intoSrc, ['gaps', 'scan', '--write'], /goes through the symlink|is a symlink/);
  await refused(intoSrc, ['autopilot', 'run', '--enable', '--write'], /symlink/);
  assert.not.ok(existsSync(join(intoSrc.dir, 'src', 'local')), 'no artifact landed in src/');

  const outside = tempDir('autopack-victim-');
  const out = repoWith();
  symlinkSync(outside, join(out.dir, '.autonomous_runs'));
  await refused(out, ['gaps', 'scan', '--write'], /symlink/);
  assert.equal(snapshotTree(outside), new Map());
});

test('a symlinked folder inside the runs dir is not written through', async () => {
  const repo = repoWith();
  const outside = tempDir('autopack-victim-');
  mkdirSync(join(repo.dir, '.autonomous_runs'), { recursive: true });
  const project = repo.dir.split('/').pop()!;
  symlinkSync(outside, join(repo.dir, '.autonomous_runs', project));
  const result = await runBin(['gaps', 'scan', '--write'], { cwd: repo.dir });
  assert.is(result.code, 2, result.stderr);
  assert.match(result.stderr, /Refusing to write through the symlink/);
  assert.equal(snapshotTree(outside), new Map());
});

test('--runs-dir naming a symlink, and a config runs_dir outside the workspace, are refused', async () => {
  const repo = repoWith();
  const outside = tempDir('autopack-victim-');
  const link = join(tempDir(), 'runs-link');
  symlinkSync(outside, link);
  await refused(repo, ['gaps', 'scan', '--write', '--runs-dir', link], /symlink/);
  const escaping = repoWith({ 'autopack.config.yaml': 'runs_dir: ../victim\n' });
  await refused(escaping, ['gaps', 'scan', '--write'], /runs_dir \(config\) '\.\.\/victim' resolves to .*outside the workspace/);
  const absolute = repoWith({ 'autopack.config.yaml': `runs_dir: ${outside}\n` });
  await refused(absolute, ['gaps', 'scan', '--write'], /outside the workspace/);
});

test('a runs dir inside tracked content is refused: .git/info/exclude never hides tracked files', async () => {
  const repo = repoWith();
  const exclude = readFileSync(join(repo.dir, '.git/info/exclude'), 'utf8');
  await refused(repo, ['gaps', 'scan', '--write', '--runs-dir', 'src'], /The runs dir src would hide tracked files \(src\/app\.py is tracked\)/);
  await refused(repo, ['gaps', 'scan', '--write'], /would hide tracked files/, { AUTONOMOUS_RUNS_DIR: 'docs' });
  await refused(repo, ['gaps', 'scan', '--write', '--runs-dir', 'src/runs'], /would hide tracked files/);
  // Not even a plain scan: its file list would skip src/.
  await refused(repo, ['gaps', 'scan', '--runs-dir', 'src'], /would hide tracked files/);
  assert.is(readFileSync(join(repo.dir, '.git/info/exclude'), 'utf8'), exclude);
  // Anywhere outside tracked content is fine.
  const ok = await runBin(['gaps', 'scan', '--write', '--runs-dir', 'out/runs', '--fail-on', 'never'], { cwd: repo.dir });
  assert.is(ok.code, 0, ok.stderr);
  assert.is(repo.git('status', '--porcelain'), '');
});

test('writeRunFile refuses targets outside the runs dir and folders swapped for symlinks', async () => {
  const runs = tempDir('autopack-runs-');
  const outside = tempDir('autopack-victim-');
  await writeRunFile(runs, join(runs, 'a/b.json'), '{}');
  assert.ok(existsSync(join(runs, 'a/b.json')));
  await rejects(() => writeRunFile(runs, join(runs, '../escape.json'), 'x'), /not inside the runs dir/);
  symlinkSync(outside, join(runs, 'link'));
  await rejects(() => writeRunFile(runs, join(runs, 'link/x.json'), 'x'), /symlink/);
  assert.equal(snapshotTree(outside), new Map());
});

async function rejects(run: () => Promise<unknown>, pattern: RegExp): Promise<void> {
  try {
    await run();
  } catch (error) {
    assert.match(String(error), pattern);
    return;
  }
  assert.unreachable('expected a rejection');
}

test('a file the operator names (--out) is replaced only when it is a regular file: never a device, a FIFO, a link or a folder, not even with --force', async () => {
  const repo = makeRepo({ files: { 'README.md': '# r\n' } });
  const dir = tempDir();
  const fifo = join(dir, 'pipe');
  execFileSync('mkfifo', [fifo]);
  const target = join(dir, 'real.json');
  writeFileSync(target, 'mine\n');
  symlinkSync(target, join(dir, 'link.json'));
  mkdirSync(join(dir, 'folder.json'));
  for (const out of ['/dev/null', fifo, join(dir, 'link.json'), join(dir, 'folder.json')]) {
    for (const args of [['anchor', 'init', '--out', out, '--force'], ['gaps', 'baseline', '--out', out]]) {
      const result = await runBin(args, { cwd: repo.dir, timeoutMs: 20_000 });
      assert.is(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, /Refusing to write .*: it is a (device|FIFO|symlink|folder), not a file/);
    }
  }
  assert.ok(lstatSync('/dev/null').isCharacterDevice(), '/dev/null is still the device');
  assert.ok(lstatSync(join(dir, 'link.json')).isSymbolicLink());
  assert.is(readFileSync(target, 'utf8'), 'mine\n');
  // A refusal prints nothing on stdout: a pipeline never reads an anchor that was not written.
  const exists = await runBin(['anchor', 'init', '--out', target], { cwd: repo.dir });
  assert.is(exists.code, 2);
  assert.is(exists.stdout, '');
  assert.match(exists.stderr, /already exists/);
});

test.run();
