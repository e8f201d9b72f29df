// No run id ever runs twice at once, and no process outlives its run: a supervisor killed with
// SIGKILL takes its worker and command down; a blocked worker keeps its lock past the ttl;
// twenty simultaneous supervisors of one run id run it once; a grandchild that left the
// process group is stopped, and the supervisor exits whatever its grandchildren do.
// Waiting is always for a condition with a deadline, never a sleep.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REPO_ROOT, runBin } from './helpers/cli.ts';
import { testEnv } from './helpers/git-fixture.ts';
import { isAlive, PARALLEL_ANCHOR, readJson, readPid, sourceRepo, startBin, until } from './helpers/supervisor-fixture.ts';

const json = (stdout: string) => JSON.parse(stdout);

/**
 * An --exec command that records its pid, notes any other run of the same id that is still
 * alive (which would mean the id runs twice at once), then waits for a release file.
 */
function markerScript(shared: string): string {
  const path = join(shared, 'marker.cjs');
  writeFileSync(
    path,
    `const fs = require('fs'), p = require('path'), d = ${JSON.stringify(shared)};
     const alive = (pid) => { try { process.kill(pid, 0); return !/\\) Z/.test(fs.readFileSync('/proc/' + pid + '/stat', 'utf8')); } catch { return false; } };
     const earlier = fs.existsSync(p.join(d, 'pids')) ? fs.readFileSync(p.join(d, 'pids'), 'utf8').trim().split('\\n').filter(Boolean).map(Number) : [];
     if (earlier.some(alive)) fs.appendFileSync(p.join(d, 'overlap'), process.pid + '\\n');
     fs.appendFileSync(p.join(d, 'pids'), process.pid + '\\n');
     const t = setInterval(() => { if (fs.existsSync(p.join(d, 'release'))) { clearInterval(t); } }, 20);`,
  );
  return path;
}

const pids = (shared: string) => (existsSync(join(shared, 'pids')) ? readFileSync(join(shared, 'pids'), 'utf8').trim().split('\n').filter(Boolean).map(Number) : []);

test('SIGKILL of the supervisor: its worker and command are gone within 10 s, and the next supervisor runs the id once', async () => {
  const { repo, shared, runs } = sourceRepo();
  const marker = markerScript(shared);
  const first = startBin(['autopilot', 'supervise', '--run-ids', 'k9', '--enable', '--exec', `node ${marker}`], { cwd: repo.dir });
  await until(() => pids(shared).length === 1, 'the command to start');
  const lock = readJson(join(runs, '.locks/k9.lock'));
  const [command] = pids(shared);
  assert.equal([lock.supervisor_pid, typeof lock.worker_pid], [first.child.pid, 'number']);
  first.child.kill('SIGKILL');
  await first.exited;
  await until(() => !isAlive(lock.worker_pid) && !isAlive(command!), 'the worker and its command to die', 10_000);
  // The lock is stale now (none of its processes runs): it is reclaimed, the worktree recreated.
  writeFileSync(join(shared, 'release'), '');
  const second = await runBin(['autopilot', 'supervise', '--run-ids', 'k9', '--enable', '--exec', `node ${marker}`], { cwd: repo.dir });
  assert.is(second.code, 0, second.stderr);
  const events = readFileSync(join(runs, 'supervisor', json(second.stdout).supervisor_id, 'events.jsonl'), 'utf8');
  assert.match(events, /"type":"run_lock_acquired","run_id":"k9","reclaimed":"none of its processes is running/);
  assert.not.ok(existsSync(join(shared, 'overlap')), 'never two runs of k9 at once');
});

test('SIGKILL of the worker: the supervisor still holds the run, a second supervisor is refused', async () => {
  const { repo, shared, runs } = sourceRepo();
  const marker = markerScript(shared);
  const first = startBin(['autopilot', 'supervise', '--run-ids', 'w9', '--enable', '--keep-worktrees', '--exec', `node ${marker}`], { cwd: repo.dir });
  await until(() => pids(shared).length === 1, 'the command to start');
  const { worker_pid: worker } = readJson(join(runs, '.locks/w9.lock'));
  process.kill(worker, 'SIGKILL');
  writeFileSync(join(shared, 'release'), '');
  const second = await runBin(['autopilot', 'supervise', '--run-ids', 'w9', '--enable', '--exec', `node ${marker}`], { cwd: repo.dir });
  const code = await first.exited;
  assert.is(code, 1);
  assert.is(json(first.output.stdout).runs[0].error, 'worker killed by SIGKILL');
  // The second either found the lock held, or came after the first had released everything.
  const refused = second.code === 1 && /run w9 is locked: held by pid/.test(json(second.stdout).runs[0].error);
  assert.ok(refused || second.code === 0, second.stdout);
  assert.not.ok(existsSync(join(shared, 'overlap')), 'never two runs of w9 at once');
  await until(() => pids(shared).every((pid) => !isAlive(pid)), 'every command to end');
});

test('twenty supervisors started at once for one run id: exactly one runs it', async () => {
  const { repo, shared } = sourceRepo();
  const marker = markerScript(shared);
  const starts = Array.from({ length: 20 }, () => startBin(['autopilot', 'supervise', '--run-ids', 'same', '--enable', '--exec', `node ${marker}`], { cwd: repo.dir }));
  // Every loser is refused while the winner's command waits for the release.
  await until(() => pids(shared).length === 1, 'one command to start');
  const codes: Array<number | null> = [];
  await until(() => starts.filter((s) => s.child.exitCode !== null).length === 19, '19 supervisors to be refused', 40_000);
  writeFileSync(join(shared, 'release'), '');
  for (const start of starts) codes.push(await start.exited);
  assert.equal(codes.filter((code) => code === 0).length, 1, codes.join(','));
  const refusals = starts.filter((s) => s.child.exitCode === 1).map((s) => json(s.output.stdout).runs[0].error);
  assert.is(refusals.length, 19);
  for (const error of refusals) assert.match(error, /^run same is locked: /);
  assert.equal(pids(shared).length, 1, 'the command ran once');
  assert.not.ok(existsSync(join(shared, 'overlap')));
});

test('a worker whose event loop is blocked keeps its run lock past the ttl; the supervisor renews it', async () => {
  const { repo, shared, runs } = sourceRepo({
    'autopack.config.yaml': 'plugins: [./tools/spin.mjs]\n',
    // A plugin detector that blocks its thread until released.
    'tools/spin.mjs': `import { existsSync, writeFileSync } from 'node:fs';
export default { id: 'spin', gap_type: 'spin', title: 'Spin', description: 'blocks', scope: 'repo',
  default: { risk: 'low', blocks_autopilot: false }, messages: { found: { title: 'spin', description: 'd', signals: [], remediation: 'r' } },
  async detect() {
  writeFileSync(process.env.SPIN_STARTED, String(process.pid));
  while (!existsSync(process.env.SPIN_RELEASE)) {}
  return [];
} };
`,
  });
  const anchor = join(shared, 'anchor.json');
  writeFileSync(anchor, PARALLEL_ANCHOR(1));
  const started = join(shared, 'spinning');
  const release = join(shared, 'release');
  // The first supervisor through the public API, in its own process, with a 300 ms ttl.
  const api = pathToFileURL(join(REPO_ROOT, 'dist/lib/index.js')).href;
  const script = `const { superviseRuns } = await import(${JSON.stringify(api)});
    const { result } = await superviseRuns({ runIds: ['spin'], workers: 1, ttlMs: 300, anchorPath: ${JSON.stringify(anchor)}, cwd: process.cwd(), env: process.env });
    process.stdout.write(JSON.stringify(result));`;
  const first = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: repo.dir, env: testEnv({ SPIN_STARTED: started, SPIN_RELEASE: release }) as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  first.stdout!.on('data', (chunk) => (stdout += chunk));
  const exited = new Promise((resolve) => first.on('close', resolve));
  try {
    await until(() => existsSync(started), 'the detector to block its worker', 30_000);
    const lockPath = join(runs, '.locks/spin.lock');
    const lock = readJson(lockPath);
    assert.is(lock.worker_pid, readPid(started), 'the lock names the blocked worker');
    // Well past the ttl, with the heartbeat renewed meanwhile by the supervisor's own timer.
    const beats = new Set<string>();
    await until(() => {
      beats.add(readJson(lockPath).heartbeat_at);
      return beats.size >= 3 && Date.now() - Date.parse(lock.created_at) > 3 * 300;
    }, 'the heartbeat to be renewed past the ttl');
    const second = await runBin(['autopilot', 'supervise', '--run-ids', 'spin', '--enable', '--exec', 'true'], { cwd: repo.dir });
    assert.is(second.code, 1);
    assert.match(json(second.stdout).runs[0].error, /^run spin is locked: held by pid \d+/);
    const gc = await runBin(['gc', '--execute'], { cwd: repo.dir });
    assert.match(gc.stdout, /run_lock\s+in use\s+\.autonomous_runs\/\.locks\/spin\.lock/);
    assert.match(gc.stdout, /worktree\s+in use\s+\.autonomous_runs\/workspaces\/spin/);
  } finally {
    writeFileSync(release, '');
  }
  assert.is(await exited, 0);
  const result = json(stdout);
  assert.ok(['completed', 'blocked_approval_required'].includes(result.runs[0].session_status), stdout);
});

test('a grandchild that left the process group is stopped, and the supervisor exits whatever a stray process holds', async () => {
  const { repo, shared } = sourceRepo();
  const inside = join(shared, 'inside.pid');
  const outside = join(shared, 'outside.pid');
  // One escapee stays in the worktree; the other clears its environment, leaves for / and keeps the output pipe.
  const command = `sh -c 'setsid sleep 300 & echo $! > ${inside}; env -i setsid sh -c "cd / && echo \\$\\$ > ${outside} && exec sleep 301" & sleep 0.2'`;
  const result = await runBin(['autopilot', 'supervise', '--run-ids', 's1', '--enable', '--exec', command], { cwd: repo.dir, timeoutMs: 30_000 });
  const strays = [readPid(inside), readPid(outside)];
  try {
    assert.is(result.code, 0, result.stderr);
    assert.is(json(result.stdout).runs[0].success, true);
    await until(() => !isAlive(strays[0]!), 'the escapee inside the worktree to be stopped', 10_000);
  } finally {
    for (const pid of strays) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  }
});

test('gc --execute stops processes left running in an abandoned worktree before removing it', async () => {
  const { repo, runs } = sourceRepo();
  const kept = await runBin(['autopilot', 'supervise', '--run-ids', 'left', '--enable', '--keep-worktrees', '--exec', 'true'], { cwd: repo.dir });
  assert.is(kept.code, 0);
  const worktree = join(runs, 'workspaces/left');
  const orphan = spawn('sleep', ['300'], { cwd: worktree, detached: true, stdio: 'ignore' });
  orphan.unref();
  try {
    const report = await runBin(['gc'], { cwd: repo.dir });
    assert.match(report.stdout, /worktree\s+stale\s+.*left\s+no live lease or run lock, no work; 1 process\(es\) still running inside/);
    assert.ok(isAlive(orphan.pid!), 'gc without --execute only reports');
    const gc = await runBin(['gc', '--execute', '--format', 'json'], { cwd: repo.dir });
    const item = json(gc.stdout).find((entry: { kind: string }) => entry.kind === 'worktree');
    assert.equal([item.processes, item.removed], [[orphan.pid], true]);
    assert.not.ok(isAlive(orphan.pid!));
    assert.not.ok(existsSync(worktree));
  } finally {
    if (isAlive(orphan.pid!)) process.kill(orphan.pid!, 'SIGKILL');
  }
});

test.run();
