// The supervisor with real git worktrees and real processes: the gate before anything exists,
// concurrency within bounds, crashed and hung workers, interrupts, contention, stale locks,
// and nothing left behind. Waiting is always for a condition (a file, an event), never a sleep.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BIN, runBin } from './helpers/cli.ts';
import { makeRepo, snapshotTree, tempDir, testEnv } from './helpers/git-fixture.ts';

const PARALLEL_ANCHOR = (max: number) =>
  JSON.stringify({ format_version: 'v2', project_id: 'p', created_at: '2026-01-06T12:00:00Z', raw_input_digest: '0123456789abcdef', pivot_intentions: { parallelism_isolation: { allowed: true, isolation_model: 'four_layer', max_concurrent_runs: max } } });

function sourceRepo() {
  const repo = makeRepo({ name: 'src', files: { 'README.md': '# r\n', 'a.txt': 'a\n' } });
  const outside = tempDir();
  writeFileSync(join(outside, 'anchor.json'), PARALLEL_ANCHOR(8));
  return { repo, anchor: join(outside, 'anchor.json'), shared: tempDir() };
}

/** Nothing of a supervisor left: no worktree, lock, lease, and git knows no extra worktree. */
function assertNothingLeft(dir: string) {
  const runs = join(dir, '.autonomous_runs');
  for (const folder of ['workspaces', '.locks', '.workspace_leases']) {
    const path = join(runs, folder);
    assert.equal(existsSync(path) ? readdirSync(path) : [], [], `${folder} is empty`);
  }
  const listed = readFileSync(join(dir, '.git/HEAD'), 'utf8') && existsSync(join(dir, '.git/worktrees')) ? readdirSync(join(dir, '.git/worktrees')) : [];
  assert.equal(listed, [], 'git has no worktree records left');
}

function isAlive(pid: number): boolean {
  try {
    const state = /\) (\S)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1];
    return state !== undefined && state !== 'Z';
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, what: string, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const json = (stdout: string) => JSON.parse(stdout);

test('the gate refuses before anything exists: the repository is exactly as it was', async () => {
  const { repo } = sourceRepo();
  const before = snapshotTree(repo.dir);
  const noAnchor = await runBin(['autopilot', 'supervise', '--run-ids', 'a,b', '--workers', '2', '--exec', 'true', '--enable'], { cwd: repo.dir });
  assert.is(noAnchor.code, 2);
  assert.match(noAnchor.stderr, /Parallel runs \(2 at once\) need an intention anchor that allows them; none found\./);
  assert.ok(noAnchor.stderr.trim().split('\n').length <= 5);
  const denying = join(tempDir(), 'deny.json');
  writeFileSync(denying, JSON.stringify({ ...JSON.parse(PARALLEL_ANCHOR(1)), pivot_intentions: { parallelism_isolation: { allowed: false } } }));
  const denied = await runBin(['autopilot', 'supervise', '--run-ids', 'a,b', '--workers', '2', '--exec', 'true', '--anchor-path', denying, '--enable'], { cwd: repo.dir });
  assert.is(denied.code, 2);
  assert.match(denied.stderr, /blocked by intention anchor policy \(parallelism_isolation\.allowed=False\)/);
  const tooMany = join(tempDir(), 'two.json');
  writeFileSync(tooMany, PARALLEL_ANCHOR(2));
  const over = await runBin(['autopilot', 'supervise', '--run-ids', 'a,b,c', '--workers', '3', '--exec', 'true', '--anchor-path', tooMany, '--enable'], { cwd: repo.dir });
  assert.is(over.code, 2);
  assert.match(over.stderr, /Requested 3 parallel runs exceeds max_concurrent_runs=2/);
  const disabled = await runBin(['autopilot', 'supervise', '--run-ids', 'a', '--exec', 'true'], { cwd: repo.dir });
  assert.is(disabled.code, 2);
  assert.match(disabled.stderr, /disabled by default: nothing was created\. Re-run with --enable/);
  assert.equal(snapshotTree(repo.dir), before);
});

test('bad run ids and workers are refused before anything exists', async () => {
  const { repo } = sourceRepo();
  const before = snapshotTree(repo.dir);
  const cases: Array<[string[], RegExp]> = [
    [['--run-ids', 'a,a'], /Duplicate run id 'a'/],
    [['--run-ids', 'a,..'], /Invalid run id '\.\.'/],
    [['--run-ids', 'ok,../../etc'], /Invalid run id '\.\.\/\.\.\/etc'/],
    [['--run-ids', 'a b'], /Invalid run id 'a b'/],
    [['--run-ids', ','], /--run-ids ,: has an empty item/],
    [['--run-ids', 'a,,b'], /--run-ids a,,b: has an empty item/],
    [['--run-ids', 'a', '--workers', '0'], /--workers 0: expected a whole number ≥ 1/],
    [['--run-ids', 'a', '--exec', '"unterminated'], /--exec has an unterminated quote/],
  ];
  for (const [args, pattern] of cases) {
    const result = await runBin(['autopilot', 'supervise', ...args, '--enable', ...(args.includes('--exec') ? [] : ['--exec', 'true'])], { cwd: repo.dir });
    assert.is(result.code, 2, args.join(' '));
    assert.match(result.stderr, pattern);
  }
  assert.equal(snapshotTree(repo.dir), before);
});

test('one run needs no anchor; the command gets its worktree and run directory, output goes to logs', async () => {
  const { repo } = sourceRepo();
  const result = await runBin(['autopilot', 'supervise', '--run-ids', 'solo', '--workers', '4', '--enable', '--exec', 'bash -c "pwd; echo $AUTOPACK_RUN_ID; cat a.txt; echo err >&2"'], { cwd: repo.dir });
  assert.is(result.code, 0, result.stderr);
  const summary = json(result.stdout);
  assert.equal([summary.status, summary.effective_workers, summary.mode, summary.command], ['succeeded', 1, 'exec', ['bash', '-c', 'pwd; echo $AUTOPACK_RUN_ID; cat a.txt; echo err >&2']]);
  const run = summary.runs[0];
  const worktree = join(repo.dir, '.autonomous_runs/workspaces/solo');
  assert.equal([run.run_id, run.success, run.exit_code, run.worktree, run.stdout_tail, run.stderr_tail], ['solo', true, 0, worktree, `${worktree}\nsolo\na\n`, 'err\n']);
  assert.is(readFileSync(join(repo.dir, '.autonomous_runs/src/runs/solo/supervisor/worker.stdout.log'), 'utf8'), run.stdout_tail);
  const resultFile = join(repo.dir, '.autonomous_runs/supervisor', summary.supervisor_id, 'result.json');
  assert.equal(json(readFileSync(resultFile, 'utf8')), summary);
  const events = readFileSync(join(repo.dir, '.autonomous_runs/supervisor', summary.supervisor_id, 'events.jsonl'), 'utf8').trim().split('\n').map((line) => json(line).type);
  assert.ok(events.includes('worker_started') && events.includes('progress') && events.includes('worker_exited'));
  assert.equal(events.filter((t) => !['worker_started', 'worker_exited', 'progress'].includes(t)), [
    'supervisor_started', 'run_lock_acquired', 'worktree_created', 'lease_acquired', 'worktree_ready', 'worktree_removed', 'branch_deleted', 'lease_released', 'run_lock_released', 'run_finished', 'supervisor_finished',
  ]);
  assertNothingLeft(repo.dir);
  assert.is(repo.git('status', '--porcelain'), '', 'the runs dir never shows in git status');
});

test('three runs on two workers: concurrency above 1 and never above 2; results in input order', async () => {
  const { repo, anchor, shared } = sourceRepo();
  // Each run notes its start and end, and waits until a second run has started (or a deadline).
  const script = `const fs=require('fs'),p=require('path'),d=process.env.SHARED,id=process.env.AUTOPACK_RUN_ID;
    fs.appendFileSync(p.join(d,'log'),'start '+id+'\\n');fs.writeFileSync(p.join(d,'started-'+id),'');
    const t=Date.now();while(fs.readdirSync(d).filter(f=>f.startsWith('started-')).length<2&&Date.now()-t<10000){}
    fs.appendFileSync(p.join(d,'log'),'end '+id+'\\n');`;
  writeFileSync(join(shared, 'run.js'), script);
  const result = await runBin(['autopilot', 'supervise', '--run-ids', 'r1,r2,r3', '--workers', '2', '--anchor-path', anchor, '--enable', '--exec', `node ${join(shared, 'run.js')}`], { cwd: repo.dir, env: testEnv({ SHARED: shared }) });
  assert.is(result.code, 0, result.stderr);
  assert.equal(json(result.stdout).runs.map((r: { run_id: string; success: boolean }) => [r.run_id, r.success]), [['r1', true], ['r2', true], ['r3', true]]);
  let running = 0;
  let peak = 0;
  for (const line of readFileSync(join(shared, 'log'), 'utf8').trim().split('\n')) {
    running += line.startsWith('start') ? 1 : -1;
    peak = Math.max(peak, running);
  }
  assert.equal(peak, 2, 'two at once, never three');
  assertNothingLeft(repo.dir);
});

test('a worker killed with SIGKILL fails only its own run', async () => {
  const { repo, anchor } = sourceRepo();
  const result = await runBin(['autopilot', 'supervise', '--run-ids', 'ok1,boom,ok2', '--workers', '3', '--anchor-path', anchor, '--enable', '--exec', 'bash -c "if [ $AUTOPACK_RUN_ID = boom ]; then kill -9 $PPID; sleep 5; fi; echo fine"'], { cwd: repo.dir });
  assert.is(result.code, 1);
  const runs = json(result.stdout).runs;
  assert.equal(runs.map((r: { success: boolean }) => r.success), [true, false, true]);
  assert.is(runs[1].error, 'worker killed by SIGKILL');
  assert.is(runs[1].exit_code, null);
  assertNothingLeft(repo.dir);
});

test('a timeout kills the run\'s whole process group', async () => {
  const { repo, shared } = sourceRepo();
  const pidFile = join(shared, 'sleeper.pid');
  const result = await runBin(['autopilot', 'supervise', '--run-ids', 'slow', '--timeout', '1', '--enable', '--exec', `bash -c "sleep 60 & echo $! > ${pidFile}; wait"`], { cwd: repo.dir });
  assert.is(result.code, 1);
  const run = json(result.stdout).runs[0];
  assert.equal([run.success, run.exit_code, run.error], [false, null, 'timeout: timed out after 1s']);
  const pid = Number(readFileSync(pidFile, 'utf8'));
  await until(() => !isAlive(pid), `sleep ${pid} to die`, 5000);
  assertNothingLeft(repo.dir);
});

test('SIGINT stops every worker, releases everything, removes worktrees, writes the result and exits 130', async () => {
  const { repo, anchor, shared } = sourceRepo();
  const child = spawn(process.execPath, [BIN, 'autopilot', 'supervise', '--run-ids', 'i1,i2', '--workers', '2', '--anchor-path', anchor, '--enable', '--exec', `bash -c "sleep 60 & echo $! > ${shared}/$AUTOPACK_RUN_ID.pid; wait"`], {
    cwd: repo.dir,
    env: testEnv() as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  await until(() => existsSync(join(shared, 'i1.pid')) && existsSync(join(shared, 'i2.pid')), 'both runs to start');
  const pids = ['i1', 'i2'].map((id) => Number(readFileSync(join(shared, `${id}.pid`), 'utf8')));
  child.kill('SIGINT');
  const code = await new Promise((resolve) => child.on('exit', resolve));
  assert.is(code, 130);
  const result = json(stdout);
  assert.equal([result.status, result.runs.map((r: { error: string }) => r.error)], ['interrupted', ['interrupted', 'interrupted']]);
  assert.ok(existsSync(join(repo.dir, '.autonomous_runs/supervisor', result.supervisor_id, 'result.json')));
  for (const pid of pids) await until(() => !isAlive(pid), `sleep ${pid} to die`, 5000);
  assertNothingLeft(repo.dir);
});

test('two supervisors contending for one run id: the second is refused, the first finishes', async () => {
  const { repo, shared } = sourceRepo();
  const release = join(shared, 'release');
  const first = spawn(process.execPath, [BIN, 'autopilot', 'supervise', '--run-ids', 'shared-run', '--enable', '--exec', `bash -c "touch ${shared}/started; while [ ! -e ${release} ]; do sleep 0.05; done"`], {
    cwd: repo.dir,
    env: testEnv() as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  first.stdout!.on('data', (chunk) => (stdout += chunk));
  await until(() => existsSync(join(shared, 'started')), 'the first run to start');
  const second = await runBin(['autopilot', 'supervise', '--run-ids', 'shared-run', '--enable', '--exec', 'true'], { cwd: repo.dir });
  assert.is(second.code, 1);
  assert.match(json(second.stdout).runs[0].error, new RegExp(`run shared-run is locked: held by pid \\d+ on ${hostname()}`));
  writeFileSync(release, '');
  assert.is(await new Promise((resolve) => first.on('exit', resolve)), 0);
  assert.is(json(stdout).runs[0].success, true);
  assertNothingLeft(repo.dir);
});

test('a stale lock left by a dead process is reclaimed', async () => {
  const { repo } = sourceRepo();
  const locks = join(repo.dir, '.autonomous_runs/.locks');
  mkdirSync(locks, { recursive: true });
  const dead = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => dead.on('exit', resolve));
  writeFileSync(join(locks, 'r1.lock'), JSON.stringify({ owner_token: 'old', pid: dead.pid, host: hostname(), purpose: 'run_lock', resource: 'r1', created_at: '2026-01-01T00:00:00Z', heartbeat_at: new Date().toISOString(), ttl_ms: 600_000 }));
  const gc = await runBin(['gc'], { cwd: repo.dir });
  assert.match(gc.stdout, new RegExp(`run_lock\\s+stale\\s+.*r1\\.lock\\s+holder pid ${dead.pid} is not running`));
  const result = await runBin(['autopilot', 'supervise', '--run-ids', 'r1', '--enable', '--exec', 'true'], { cwd: repo.dir });
  assert.is(result.code, 0, result.stdout);
  const events = readFileSync(join(repo.dir, '.autonomous_runs/supervisor', json(result.stdout).supervisor_id, 'events.jsonl'), 'utf8');
  assert.match(events, new RegExp(`"type":"run_lock_acquired","run_id":"r1","reclaimed":"holder pid ${dead.pid} is not running"`));
  assertNothingLeft(repo.dir);
});

test('eight runs on eight workers create their worktrees at once', async () => {
  const { repo, anchor } = sourceRepo();
  const ids = Array.from({ length: 8 }, (_, i) => `w${i}`);
  const result = await runBin(['autopilot', 'supervise', '--run-ids', ids.join(','), '--workers', '8', '--anchor-path', anchor, '--enable', '--exec', 'bash -c "test -f a.txt && git status --porcelain"'], { cwd: repo.dir });
  assert.is(result.code, 0, result.stdout);
  const runs = json(result.stdout).runs;
  assert.equal(runs.map((r: { run_id: string; success: boolean; stdout_tail: string }) => [r.run_id, r.success, r.stdout_tail]), ids.map((id) => [id, true, '']));
  assertNothingLeft(repo.dir);
});

test('autopilot workers run a session in each worktree; artifacts land in the source repository', async () => {
  const { repo, anchor } = sourceRepo();
  const result = await runBin(['autopilot', 'supervise', '--run-ids', 'p1,p2', '--workers', '2', '--anchor-path', anchor, '--enable'], { cwd: repo.dir });
  assert.is(result.code, 0, result.stdout);
  for (const run of json(result.stdout).runs) {
    assert.ok(['completed', 'blocked_approval_required'].includes(run.session_status), run.session_status);
    const runDir = join(repo.dir, '.autonomous_runs/src/runs', run.run_id);
    const session = json(readFileSync(join(runDir, 'autonomy/autopilot_session_v1.json'), 'utf8'));
    assert.equal([session.run_id, session.project_id], [run.run_id, 'src']);
    assert.ok(existsSync(join(runDir, 'gaps/gap_report_v1.json')));
  }
  assertNothingLeft(repo.dir);
});

test('--keep-worktrees, --list-worktrees, --cleanup and gc never touch a live lease', async () => {
  const { repo } = sourceRepo();
  const kept = await runBin(['autopilot', 'supervise', '--run-ids', 'keep1', '--keep-worktrees', '--enable', '--exec', 'true'], { cwd: repo.dir });
  assert.is(kept.code, 0);
  const worktree = join(repo.dir, '.autonomous_runs/workspaces/keep1');
  assert.ok(existsSync(join(worktree, 'a.txt')));
  const listed = json((await runBin(['autopilot', 'supervise', '--list-worktrees'], { cwd: repo.dir })).stdout);
  assert.ok(listed.some((w: { path: string; branch: string; leased: boolean }) => w.path === worktree && w.branch === 'refs/heads/autopack/keep1' && !w.leased));
  // A live lease (held by this test process) protects a worktree from --cleanup and gc --execute.
  const { acquireLock } = await import('../lib/supervisor/lock-file.ts');
  const { leasePath } = await import('../lib/supervisor/worktree.ts');
  const lease = await acquireLock(leasePath(join(repo.dir, '.autonomous_runs'), worktree), { purpose: 'workspace_lease', resource: worktree });
  assert.ok(lease.ok);
  const refused = json((await runBin(['autopilot', 'supervise', '--cleanup'], { cwd: repo.dir })).stdout);
  assert.equal(refused.map((item: { removed?: boolean }) => item.removed ?? false), [false]);
  assert.ok(existsSync(worktree));
  assert.match((await runBin(['gc', '--execute'], { cwd: repo.dir })).stdout, /worktree\s+in use/);
  assert.ok(existsSync(worktree));
  if (lease.ok) await lease.lock.release();
  const gc = await runBin(['gc'], { cwd: repo.dir });
  assert.match(gc.stdout, /worktree\s+stale\s+.*keep1\s+no live lease or run lock, no work/);
  assert.ok(existsSync(worktree), 'gc without --execute only reports');
  const cleaned = await runBin(['autopilot', 'supervise', '--cleanup'], { cwd: repo.dir });
  assert.match(cleaned.stderr, /Cleaned up 1 worktrees/);
  assertNothingLeft(repo.dir);
});

test.run();
