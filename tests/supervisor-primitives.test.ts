// The parallelism gate (the Python tool's cases, four_layer now required) and the lock files of
// layers 2 and 3: exclusive, renewable, owner-only release, stale ones reclaimed — with real
// processes racing for them.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createAnchor } from '../lib/anchor/create-anchor.ts';
import type { IntentionAnchorV2 } from '../lib/contracts/anchor.ts';
import { checkParallelAllowed, isParallelAllowed, maxConcurrentRuns, ParallelismPolicyViolation } from '../lib/supervisor/gate.ts';
import { acquireLock, readLock, removeIfStale, type LockBody } from '../lib/supervisor/lock-file.ts';
import { leasePath, runLockPath, worktreePath } from '../lib/supervisor/worktree.ts';
import { REPO_ROOT } from './helpers/cli.ts';
import { tempDir } from './helpers/git-fixture.ts';

function anchor(policy?: Record<string, unknown>): IntentionAnchorV2 {
  const base = createAnchor({ projectId: 'test-project', now: new Date('2025-01-01T00:00:00Z') });
  base.raw_input_digest = '0123456789abcdef';
  base.pivot_intentions = policy ? { parallelism_isolation: { allowed: false, isolation_model: 'none', max_concurrent_runs: 1, ...policy } } : {};
  return base;
}
function violation(fn: () => void): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ParallelismPolicyViolation);
    return (error as Error).message;
  }
  throw new Error('expected a violation');
}

test('gate: the reference cases (with four_layer required)', () => {
  const blocked = violation(() => checkParallelAllowed(anchor({ allowed: false }), 2));
  assert.ok(blocked.includes('blocked by intention anchor policy') && blocked.includes('allowed=False'));
  const missing = violation(() => checkParallelAllowed(anchor(), 2));
  assert.ok(missing.includes('Parallelism policy not defined') && missing.includes('allowed=true'));
  const ok = anchor({ allowed: true, max_concurrent_runs: 3, isolation_model: 'four_layer' });
  checkParallelAllowed(ok, 2);
  checkParallelAllowed(ok, 3);
  assert.equal([isParallelAllowed(ok), maxConcurrentRuns(ok)], [true, 3]);
  const tooMany = violation(() => checkParallelAllowed(anchor({ allowed: true, max_concurrent_runs: 2, isolation_model: 'four_layer' }), 5));
  assert.ok(tooMany.includes('exceeds max_concurrent_runs=2') && tooMany.includes('Requested 5 parallel runs'));
  assert.equal([maxConcurrentRuns(anchor({ allowed: true, max_concurrent_runs: 5 })), maxConcurrentRuns(anchor({ allowed: false, max_concurrent_runs: 5 })), maxConcurrentRuns(anchor())], [5, 1, 1]);
  assert.equal([isParallelAllowed(anchor({ allowed: true })), isParallelAllowed(anchor({ allowed: false })), isParallelAllowed(anchor())], [true, false, false]);
  // Deliberate change from the Python tool: isolation_model none is refused, not warned about.
  assert.match(violation(() => checkParallelAllowed(anchor({ allowed: true, max_concurrent_runs: 3 }), 2)), /requires isolation_model=four_layer/);
  // The gate itself does not special-case one run; callers skip it when only one run can execute.
  assert.match(violation(() => checkParallelAllowed(anchor(), 1)), /Parallelism policy not defined/);
  assert.match(violation(() => checkParallelAllowed(undefined, 2)), /Parallelism policy not defined/);
});

test('paths: locks, leases and worktrees live under the runs dir', () => {
  assert.is(runLockPath('/r', 'run-1'), '/r/.locks/run-1.lock');
  assert.is(worktreePath('/r', 'run-1'), '/r/workspaces/run-1');
  assert.match(leasePath('/r', '/r/workspaces/run-1'), /^\/r\/\.workspace_leases\/workspace_[0-9a-f]{16}\.lock$/);
});

test('locks: exclusive, contents, renew, owner-only release', async () => {
  const dir = tempDir();
  const path = join(dir, 'run.lock');
  const first = await acquireLock(path, { purpose: 'run_lock', resource: 'run-1', ttlMs: 60_000 });
  assert.ok(first.ok);
  const body = (await readLock(path)) as LockBody;
  assert.equal([body.pid, body.host, body.purpose, body.resource, body.ttl_ms], [process.pid, hostname(), 'run_lock', 'run-1', 60_000]);
  assert.match(body.owner_token, /^[0-9a-f-]{36}$/);
  const second = await acquireLock(path, { purpose: 'run_lock', resource: 'run-1' });
  assert.not.ok(second.ok);
  if (!second.ok) assert.match(second.reason, new RegExp(`held by pid ${process.pid} on ${hostname()}`));
  if (!first.ok) return;
  assert.ok(await first.lock.renew(new Date('2030-01-01T00:00:00Z')));
  assert.is((await readLock(path) as { heartbeat_at: string }).heartbeat_at, '2030-01-01T00:00:00.000Z');
  // Someone else's lock object cannot release it.
  const impostor = Object.create(Object.getPrototypeOf(first.lock));
  impostor.path = path;
  impostor.body = { ...first.lock.body, owner_token: 'not-mine' };
  assert.is(await impostor.release(), false);
  assert.ok(await first.lock.release());
  assert.is(await readLock(path), undefined, 'removed on release');
  assert.ok((await acquireLock(path, { purpose: 'run_lock', resource: 'run-1' })).ok, 'free again');
});

test('locks: a dead holder on this host, an expired heartbeat or an unreadable file is reclaimed', async () => {
  const dir = tempDir();
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const deadPid = Number(dead.stdout);
  const stale = (overrides: object) => JSON.stringify({ owner_token: 'old', pid: deadPid, host: hostname(), purpose: 'run_lock', resource: 'r', created_at: '2026-01-01T00:00:00Z', heartbeat_at: new Date().toISOString(), ttl_ms: 60_000, ...overrides });
  writeFileSync(join(dir, 'dead.lock'), stale({}));
  const reclaimedDead = await acquireLock(join(dir, 'dead.lock'), { purpose: 'run_lock', resource: 'r' });
  assert.ok(reclaimedDead.ok && reclaimedDead.reclaimed === `holder pid ${deadPid} is not running`);
  writeFileSync(join(dir, 'expired.lock'), stale({ pid: 1, host: 'elsewhere', heartbeat_at: '2020-01-01T00:00:00Z' }));
  const expired = await acquireLock(join(dir, 'expired.lock'), { purpose: 'run_lock', resource: 'r' });
  assert.ok(expired.ok && /heartbeat expired/.test(expired.reclaimed ?? ''));
  writeFileSync(join(dir, 'garbage.lock'), '{half a lock');
  assert.ok((await acquireLock(join(dir, 'garbage.lock'), { purpose: 'run_lock', resource: 'r' })).ok);
  // A live holder elsewhere is respected, and removeIfStale leaves it alone.
  writeFileSync(join(dir, 'live.lock'), stale({ pid: 1, host: 'elsewhere' }));
  assert.not.ok((await acquireLock(join(dir, 'live.lock'), { purpose: 'run_lock', resource: 'r' })).ok);
  assert.is(await removeIfStale(join(dir, 'live.lock')), false);
});

test('locks: processes racing for one lock, and for one stale lock: exactly one wins', async () => {
  const moduleUrl = pathToFileURL(join(REPO_ROOT, 'lib/supervisor/lock-file.ts')).href;
  const script = `
    const { acquireLock } = await import(${JSON.stringify(moduleUrl)});
    const result = await acquireLock(process.argv[1], { purpose: 'run_lock', resource: 'race' });
    process.stdout.write(result.ok ? 'won\\n' : 'lost\\n');
    // Hold it until the parent has heard from everyone: a winner must not die and look stale.
    process.stdin.resume();
    process.stdin.on('end', () => process.exit(0));`;
  for (const start of ['fresh', 'stale']) {
    const dir = tempDir();
    const path = join(dir, 'race.lock');
    if (start === 'stale') writeFileSync(path, JSON.stringify({ owner_token: 'x', pid: 1, host: 'gone', purpose: 'run_lock', resource: 'race', created_at: '2020-01-01T00:00:00Z', heartbeat_at: '2020-01-01T00:00:00Z', ttl_ms: 1 }));
    const children = Array.from({ length: 6 }, () =>
      spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, path], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'inherit'] }),
    );
    const answers = await Promise.all(
      children.map((child) => new Promise<string>((resolve) => child.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString().trim())))),
    );
    for (const child of children) child.stdin!.end();
    await Promise.all(children.map((child) => new Promise((resolve) => child.on('exit', resolve))));
    assert.equal(answers.filter((answer) => answer === 'won').length, 1, `${start}: ${answers.join(',')}`);
  }
});

test.run();
