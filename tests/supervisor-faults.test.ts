// Faults end cleanly: a full disk under the runs dir is exit 1 with one message, locks and
// leases released and the worktree kept when it holds work, never an unhandled 'error' event;
// temp files of interrupted writes are removed on the next write and listed by gc; empty run
// ids are refused.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { listLeftoverTempFiles, writeFileAtomic } from '../lib/fs/atomic-write.ts';
import { BIN, runBin } from './helpers/cli.ts';
import { tempDir, testEnv } from './helpers/git-fixture.ts';
import { sourceRepo } from './helpers/supervisor-fixture.ts';

/** A pid that certainly does not run: a process that has exited. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

test('empty run ids are refused, before anything exists', async () => {
  const { repo, runs } = sourceRepo();
  for (const ids of ['a,,b', 'a,', ',']) {
    const result = await runBin(['autopilot', 'supervise', '--run-ids', ids, '--enable', '--exec', 'true'], { cwd: repo.dir });
    assert.is(result.code, 2, ids);
    assert.match(result.stderr, /--run-ids .*: has an empty item \(two commas in a row, or a comma at an end\)/);
  }
  assert.not.ok(existsSync(runs), 'nothing was created');
});

test('a temp file of an interrupted write is removed by the next write of that artifact, and listed and removed by gc', async () => {
  const dir = tempDir();
  const dead = deadPid();
  const leftover = join(dir, `.report.json.${dead}.0badc0de.tmp`);
  const live = join(dir, `.report.json.${process.pid}.0000beef.tmp`);
  const other = join(dir, `.other.json.${dead}.12345678.tmp`);
  for (const path of [leftover, live, other]) writeFileSync(path, '{"half":');
  const byPath = (a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]));
  assert.equal((await listLeftoverTempFiles(dir)).map((t) => [t.path, t.pid, t.live]), [
    [other, dead, false],
    [leftover, dead, false],
    [live, process.pid, true],
  ].sort(byPath));
  await writeFileAtomic(join(dir, 'report.json'), '{}\n');
  assert.equal(readdirSync(dir).sort(), [`.other.json.${dead}.12345678.tmp`, `.report.json.${process.pid}.0000beef.tmp`, 'report.json']);

  // Through the CLI: gc lists it (never a worktree's contents), --execute removes it.
  const { repo, runs } = sourceRepo();
  const runDir = join(runs, 'src/runs/r1/gaps');
  mkdirSync(runDir, { recursive: true });
  const stray = join(runDir, `.gap_report_v1.json.${dead}.0badc0de.tmp`);
  writeFileSync(stray, '{"half":');
  const report = await runBin(['gc'], { cwd: repo.dir });
  assert.match(report.stdout, new RegExp(`temp_file\\s+stale\\s+\\.autonomous_runs/src/runs/r1/gaps/\\.gap_report_v1\\.json\\.${dead}\\.0badc0de\\.tmp\\s+an interrupted write of .*gap_report_v1\\.json \\(pid ${dead} is not running\\)`));
  const gc = await runBin(['gc', '--execute'], { cwd: repo.dir });
  assert.match(gc.stdout, /temp_file\s+removed/);
  assert.not.ok(existsSync(stray));
});

function canMountTmpfs(): boolean {
  const probe = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs "$1"', 'sh', tempDir()], { encoding: 'utf8' });
  return probe.status === 0;
}

test('a full disk under the runs dir: exit 1 with one message, everything released, the worktree with work kept', async () => {
  if (!canMountTmpfs()) {
    console.log('  (skipped: this machine does not allow a tmpfs in a private mount namespace)');
    return;
  }
  const { repo, shared } = sourceRepo();
  const runs = join(tempDir(), 'runs');
  mkdirSync(runs);
  // The agent leaves a file in its worktree, then prints 3 MB into a 1 MB disk.
  const agent = join(shared, 'agent.cjs');
  writeFileSync(agent, `require('fs').writeFileSync('NEW_WORK.md', 'work\\n'); process.stdout.write('x'.repeat(3 * 1024 * 1024));`);
  const probe = `const fs = require('fs'), p = require('path'), r = process.argv[1];
    const list = (d) => { try { return fs.readdirSync(p.join(r, d)); } catch { return []; } };
    const kept = p.join(r, 'workspaces/full/NEW_WORK.md');
    console.log(JSON.stringify({ locks: list('.locks'), leases: list('.workspace_leases'), kept: fs.existsSync(kept) ? fs.readFileSync(kept, 'utf8') : null }));`;
  // The tmpfs exists only inside this namespace: the supervisor and the probe both run there.
  const script = 'mount -t tmpfs -o size=1m tmpfs "$1" || exit 99; runs=$1; shift; "$@"; echo "exit=$?" >&2; exec node -e "$PROBE" "$runs"';
  const result = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script, 'sh', runs, process.execPath, BIN, 'autopilot', 'supervise', '--run-ids', 'full', '--enable', '--runs-dir', runs, '--exec', `node ${agent}`], {
    cwd: repo.dir,
    env: testEnv({ PROBE: probe }) as NodeJS.ProcessEnv,
    encoding: 'utf8',
    timeout: 60_000,
  });
  const stderr = result.stderr;
  assert.match(stderr, /exit=1\n/, stderr);
  const lines = stderr.split('\n').filter((line) => line.startsWith('autopack:'));
  assert.equal(lines, [`autopack: Could not write the supervisor's records under ${runs}: no space left on device`], stderr);
  assert.not.match(stderr, /Unhandled|ENOSPC: no space left on device, write\n\s+at |\n\s+at /);
  const state = JSON.parse(result.stdout.trim().split('\n').at(-1)!);
  assert.equal(state, { locks: [], leases: [], kept: 'work\n' });
  // The result still went to stdout, and says why the worktree is there.
  const printed = JSON.parse(result.stdout.slice(0, result.stdout.lastIndexOf('\n{')));
  assert.equal([printed.runs[0].worktree_kept, printed.runs[0].kept_reason, printed.runs[0].dirty_files], [true, 'holds_work', { count: 1, paths: ['NEW_WORK.md'] }]);
  assert.match(printed.runs[0].error, /could not write the worker's output: ENOSPC/);
});

test('a symlink in place of the supervisor\'s folders is refused by supervise, and left alone by gc (nothing read, stopped or removed through it)', async () => {
  const outside = tempDir();
  writeFileSync(join(outside, 'keep.txt'), 'keep\n');
  for (const folder of ['workspaces', '.locks', '.workspace_leases']) {
    const { repo } = sourceRepo();
    mkdirSync(join(repo.dir, '.autonomous_runs'), { recursive: true });
    symlinkSync(outside, join(repo.dir, '.autonomous_runs', folder));
    const refused = await runBin(['autopilot', 'supervise', '--enable', '--run-ids', 'r1', '--exec', 'true'], { cwd: repo.dir });
    assert.is(refused.code, 2, folder);
    assert.match(refused.stderr, /Refusing to write through the symlink/);
    const gc = await runBin(['gc', '--execute', '--format', 'json'], { cwd: repo.dir });
    assert.is(gc.code, 0, gc.stderr);
    const items = JSON.parse(gc.stdout) as Array<{ path: string; foreign?: string; removed?: boolean }>;
    assert.ok(items.some((item) => item.path.endsWith(folder) && item.foreign), `${folder}: listed as left alone`);
    assert.equal(readdirSync(outside), ['keep.txt'], `${folder}: nothing written or removed outside`);
  }
  // One run's worktree path that is a link: supervise refuses it, gc lists it and goes no further.
  const { repo } = sourceRepo();
  mkdirSync(join(repo.dir, '.autonomous_runs/workspaces'), { recursive: true });
  symlinkSync(outside, join(repo.dir, '.autonomous_runs/workspaces/r1'));
  const refused = await runBin(['autopilot', 'supervise', '--enable', '--run-ids', 'r1', '--exec', 'true'], { cwd: repo.dir });
  assert.is(refused.code, 2);
  assert.match(refused.stderr, /it is a symlink autopack did not make/);
  const gc = await runBin(['gc', '--execute'], { cwd: repo.dir });
  assert.match(gc.stdout, /worktree\s+left alone\s+\.autonomous_runs\/workspaces\/r1/);
  assert.equal(readdirSync(outside), ['keep.txt']);
  // A run's own log folder that is a link: that run fails, naming it, and writes nothing through it.
  const logs = sourceRepo().repo;
  const logDir = join(logs.dir, '.autonomous_runs/src/runs/r2');
  mkdirSync(logDir, { recursive: true });
  symlinkSync(outside, join(logDir, 'supervisor'));
  const run = await runBin(['autopilot', 'supervise', '--enable', '--run-ids', 'r2', '--exec', 'true'], { cwd: logs.dir });
  assert.is(run.code, 1, run.stderr);
  assert.match(JSON.parse(run.stdout).runs[0].error, /Refusing to write through the symlink .*r2\/supervisor/);
  assert.equal(readdirSync(outside), ['keep.txt']);
});

test.run();
