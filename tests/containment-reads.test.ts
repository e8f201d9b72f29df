// Reads stay in the workspace: a detector never follows a symlink out, never opens a FIFO or a
// device, and nothing of a file outside the workspace appears in a report.
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runBin } from './helpers/cli.ts';
import { makeRepo, tempDir } from './helpers/git-fixture.ts';

const SECRET = 'tests/secret_outside_test_name';

function outsideFolder(): string {
  const outside = tempDir('autopack-outside-');
  mkdirSync(join(outside, 'v/cache'), { recursive: true });
  writeFileSync(join(outside, 'v/cache/lastfailed'), JSON.stringify({ [SECRET]: true }));
  writeFileSync(join(outside, 'results.json'), JSON.stringify({ results: [[`:${SECRET}.ts`, { failed: true }]] }));
  writeFileSync(join(outside, 'policy.yaml'), 'secret_key: "outside-content-123"\n: broken: [\n');
  return outside;
}

async function scan(repo: ReturnType<typeof makeRepo>, args: string[] = []) {
  const result = await runBin(['gaps', 'scan', '--fail-on', 'never', ...args], { cwd: repo.dir, timeoutMs: 20_000 });
  assert.is(result.code, 0, result.stderr);
  return result;
}

test('test caches and policies symlinked out of the workspace are not read', async () => {
  const outside = outsideFolder();
  const repo = makeRepo({ files: { 'README.md': '# r\n', '.gitignore': '.pytest_cache/\nnode_modules/\n' } });
  symlinkSync(outside, join(repo.dir, '.pytest_cache'));
  mkdirSync(join(repo.dir, 'node_modules/.vite/vitest'), { recursive: true });
  symlinkSync(join(outside, 'results.json'), join(repo.dir, 'node_modules/.vite/vitest/results.json'));
  mkdirSync(join(repo.dir, 'config'));
  symlinkSync(join(outside, 'policy.yaml'), join(repo.dir, 'config/baseline_policy.yaml'));
  const result = await scan(repo);
  assert.not.match(result.stdout + result.stderr, /secret_outside_test_name|outside-content-123/);
  const gaps = JSON.parse(result.stdout).gaps;
  assert.not.ok(gaps.some((gap: { gap_type: string }) => gap.gap_type === 'test_infra_drift'));
  const policy = gaps.find((gap: { gap_type: string }) => gap.gap_type === 'baseline_policy_drift');
  assert.ok(policy, 'a symlinked policy is a finding');
  assert.match(policy.detection_signals.join('\n'), /it is a symlink/);
});

test('a policy folder symlink, a /dev/zero symlink and a FIFO neither hang nor leak', async () => {
  const outside = outsideFolder();
  const repo = makeRepo({ files: { 'README.md': '# r\n', 'docs/a.md': 'a\n', 'autopack.config.yaml': 'detectors:\n  baseline_policy_drift: { options: { path: security/baselines } }\n' } });
  mkdirSync(join(repo.dir, 'security'));
  symlinkSync(outside, join(repo.dir, 'security/baselines'));
  symlinkSync('/dev/zero', join(repo.dir, 'zero.md'));
  execFileSync('mkfifo', [join(repo.dir, 'pipe.md')]);
  const started = Date.now();
  const result = await scan(repo);
  assert.ok(Date.now() - started < 15_000);
  assert.not.match(result.stdout + result.stderr, /outside-content-123|secret_outside/);
});

test('a FIFO in place of a cache file or an input file is an exit 2 or a finding, never a hang', async () => {
  const repo = makeRepo({ files: { 'README.md': '# r\n', '.gitignore': '.pytest_cache/\n' } });
  mkdirSync(join(repo.dir, '.pytest_cache/v/cache'), { recursive: true });
  execFileSync('mkfifo', [join(repo.dir, '.pytest_cache/v/cache/lastfailed')]);
  await scan(repo);
  // The runs dir's own cache (the fsck verdict) is read through the same guard.
  mkdirSync(join(repo.dir, '.autonomous_runs/.cache'), { recursive: true });
  execFileSync('mkfifo', [join(repo.dir, '.autonomous_runs/.cache/git_state_corruption.json')]);
  const cached = await runBin(['gaps', 'scan', '--fail-on', 'never'], { cwd: repo.dir, timeoutMs: 15_000 });
  assert.is(cached.code, 0, cached.stderr);
  const fifo = join(tempDir(), 'report.json');
  execFileSync('mkfifo', [fifo]);
  for (const args of [['plan', 'propose', '--gap-report-path', fifo, '--anchor-path', fifo], ['validate', fifo], ['gaps', 'scan', '--baseline', fifo]]) {
    const result = await runBin(args, { cwd: repo.dir, timeoutMs: 15_000 });
    assert.is(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, /not a regular file|FIFO|named pipe/i);
  }
});

test.run();
