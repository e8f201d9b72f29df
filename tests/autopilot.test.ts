// Autopilot sessions end to end on real repositories: refusals, the four artifacts, verified
// effects, and every file outside the run directory left byte-identical.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runAutopilotSession } from '../lib/autopilot/session.ts';
import { validateArtifact } from '../lib/contracts/artifacts.ts';
import { fixedClock } from '../lib/util/clock.ts';
import { runBin } from './helpers/cli.ts';
import { makeRepo, snapshotTree, testEnv, type FileTree } from './helpers/git-fixture.ts';

const DRIFT = 'import sys\nprint("docs/index.md links to a missing page")\nsys.exit(1)\n';

function repoWithDrift(extra: FileTree = {}, worktree: FileTree = { 'NOTES.md': 'scratch\n' }) {
  return makeRepo({ name: 'demo', files: { 'README.md': '# Demo\n', 'scripts/check_docs_drift.py': DRIFT, ...extra }, worktree });
}

/** Every file outside the runs dir, including .git except the exclude entry autopack adds. */
function outsideRunDir(dir: string): Map<string, string> {
  const tree = snapshotTree(dir);
  for (const path of [...tree.keys()]) if (path.startsWith('.autonomous_runs/') || path === '.git/info/exclude') tree.delete(path);
  return tree;
}

async function anchored(dir: string, args: string[] = []) {
  assert.is((await runBin(['anchor', 'init', '--write', ...args], { cwd: dir })).code, 0);
}

test('without --enable: exit 2, one line saying how to enable, nothing scanned and nothing written', async () => {
  const marker = 'scan-ran.txt';
  const repo = repoWithDrift({ 'scripts/check_docs_drift.py': `open("${marker}", "w").write("x")\n` });
  const before = snapshotTree(repo.dir);
  const result = await runBin(['autopilot', 'run', '--write'], { cwd: repo.dir });
  assert.is(result.code, 2);
  assert.is(result.stdout, '');
  assert.is(result.stderr, 'autopack: Autopilot is disabled by default: nothing was scanned or written. Re-run with --enable to execute safe actions.\n');
  assert.equal(snapshotTree(repo.dir), before);
  assert.not.ok(existsSync(join(repo.dir, marker)));
});

test('an anchor is required: exit 2 with the guidance of plan propose', async () => {
  const repo = repoWithDrift();
  const result = await runBin(['autopilot', 'run', '--enable'], { cwd: repo.dir });
  assert.is(result.code, 2);
  assert.match(result.stderr, /No intention anchor found; refusing to guess/);
  assert.match(result.stderr, /autopack anchor init --write/);
});

test('on a repository with drift: blocked for approval, safe verifications executed, four artifacts, nothing else touched', async () => {
  const repo = repoWithDrift();
  await anchored(repo.dir);
  const status = repo.git('status', '--porcelain'); // first: it may refresh .git/index itself
  const before = outsideRunDir(repo.dir);
  const result = await runBin(['autopilot', 'run', '--enable', '--write'], { cwd: repo.dir });
  assert.is(result.code, 0, result.stderr);
  const session = JSON.parse(result.stdout);
  assert.ok(validateArtifact('autopilot_session_v1', session).ok);
  assert.is(session.status, 'blocked_approval_required');
  assert.is(session.blocked_reason, '2 action(s) require manual approval');
  const runDir = join(repo.dir, '.autonomous_runs/demo/runs/local');
  const report = JSON.parse(readFileSync(join(runDir, 'gaps/gap_report_v1.json'), 'utf8'));
  const plan = JSON.parse(readFileSync(join(runDir, 'plans/plan_proposal_v1.json'), 'utf8'));
  const proof = JSON.parse(readFileSync(join(runDir, `proofs/${session.session_id}.json`), 'utf8'));
  assert.equal(JSON.parse(readFileSync(join(runDir, 'autonomy/autopilot_session_v1.json'), 'utf8')), session);
  assert.ok(validateArtifact('gap_report_v1', report).ok && validateArtifact('plan_proposal_v1', plan).ok && validateArtifact('phase_proof', proof).ok);
  // Ids are linked.
  assert.equal([session.gap_report_id, session.plan_proposal_id, session.anchor_id], [report.report_id, plan.proposal_id, plan.anchor_id]);
  assert.match(session.anchor_id, /^anchor-[0-9a-f]{16}$/);
  // Executed: only auto-approved actions, through their handlers, effects verified.
  const autoApproved = plan.actions.filter((a: { approval_status: string }) => a.approval_status === 'auto_approved').map((a: { action_id: string }) => a.action_id);
  assert.equal(session.executed_action_ids, autoApproved);
  assert.ok(session.executed_action_ids.length >= 1);
  assert.ok(session.action_results.every((r: { success: boolean; effects_verified: boolean }) => r.success && r.effects_verified));
  const rerun = session.action_results.find((r: { handler: string }) => r.handler === 'rerun_check');
  assert.equal([rerun.verdict, rerun.evidence.exit_code, rerun.evidence.command], ['still_present', 1, 'python3 scripts/check_docs_drift.py']);
  assert.equal(session.approval_requests.map((r: { action_id: string }) => r.action_id).sort(), plan.actions.filter((a: { approval_status: string }) => a.approval_status !== 'auto_approved').map((a: { action_id: string }) => a.action_id).sort());
  assert.equal(session.execution_summary, { total_actions: plan.actions.length, auto_approved_actions: autoApproved.length, executed_actions: autoApproved.length, successful_actions: autoApproved.length, failed_actions: 0, blocked_actions: 0 });
  // The run-local handler wrote its log under the run directory only.
  assert.match(readFileSync(join(runDir, 'logs/check_docs_drift.log'), 'utf8'), /docs\/index\.md links to a missing page/);
  // The proof shows zero repository changes, and nothing outside the run directory changed.
  assert.equal([proof.changes.files_created, proof.changes.files_modified, proof.changes.files_deleted, proof.metrics_placeholder], [0, 0, 0, false]);
  assert.equal(outsideRunDir(repo.dir), before, 'every file outside the run directory is byte-identical');
  assert.is(repo.git('status', '--porcelain'), status);
  assert.ok(session.metadata.session_duration_ms >= 0);
});

test('a gap that blocks autopilot stops everything but read-only verification', async () => {
  const repo = repoWithDrift({ 'docs/guide.md': 'Guide\n' }, { 'docs/guide.md': 'edited\n' });
  await anchored(repo.dir);
  const { session } = await runAutopilotSession({ enable: true, workspace: repo.dir, cwd: repo.dir, env: testEnv(), write: true });
  assert.is(session.status, 'blocked_approval_required');
  assert.match(session.blocked_reason!, /^1 gap\(s\) block autopilot \(protected_path_violation-[0-9a-f]{12}\): only read-only verification ran; 1 action\(s\) blocked by governance; \d+ action\(s\) require manual approval$/);
  assert.ok(session.action_results!.every((result) => result.handler !== 'capture_check_log'));
  const capture = session.approval_requests!.find((request) => request.reason.startsWith('A gap blocks autopilot'));
  assert.ok(capture, 'the run-local handler waits');
});

test('without --write nothing is written, and run-local handlers wait for it', async () => {
  const repo = repoWithDrift();
  await anchored(repo.dir);
  const before = snapshotTree(repo.dir);
  const { session, written } = await runAutopilotSession({ enable: true, workspace: repo.dir, cwd: repo.dir, env: testEnv() });
  assert.equal(written, []);
  assert.equal(snapshotTree(repo.dir), before);
  assert.ok(session.approval_requests!.some((request) => request.reason === 'Writes its run directory: re-run with --write'));
  assert.ok(session.executed_action_ids!.length >= 1);
});

test('completed: nothing to do (an empty plan) and everything resolved', async () => {
  const repo = makeRepo({ files: { 'README.md': '# r\n', 'config/baseline_policy.yaml': 'version: 1\n' } });
  await anchored(repo.dir);
  const empty = await runBin(['autopilot', 'run', '--enable'], { cwd: repo.dir });
  assert.is(empty.code, 0);
  const session = JSON.parse(empty.stdout);
  assert.equal([session.status, session.execution_summary.total_actions, session.approval_requests, session.blocked_reason], ['completed', 0, [], undefined]);
});

test('SOURCE_DATE_EPOCH: the same session bytes twice, durations 0; ids can be injected', async () => {
  const repo = repoWithDrift();
  await anchored(repo.dir);
  const env = testEnv({ SOURCE_DATE_EPOCH: '1767225600' });
  const first = await runBin(['autopilot', 'run', '--enable'], { cwd: repo.dir, env });
  const second = await runBin(['autopilot', 'run', '--enable'], { cwd: repo.dir, env });
  assert.is(first.stdout, second.stdout);
  const session = JSON.parse(first.stdout);
  assert.equal([session.started_at, session.completed_at, session.metadata.session_duration_ms], ['2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 0]);
  const injected = await runAutopilotSession({ enable: true, workspace: repo.dir, cwd: repo.dir, env: testEnv(), clock: fixedClock(new Date('2026-02-02T00:00:00Z')), sessionId: () => 'autopilot-test0001' });
  assert.equal([injected.session.session_id, injected.session.started_at], ['autopilot-test0001', '2026-02-02T00:00:00.000Z']);
});

test('--format text: what ran, what waits and why', async () => {
  const repo = repoWithDrift();
  await anchored(repo.dir);
  const result = await runBin(['autopilot', 'run', '--enable', '--format', 'text'], { cwd: repo.dir });
  const lines = result.stdout.trim().split('\n');
  assert.match(lines[0]!, /^autopilot-[0-9a-f]{8}: blocked_approval_required \(2 executed, 0 failed, 3 waiting for approval\)$/);
  assert.ok(lines.some((line) => /^executed  action-[0-9a-f]{12}  rerun_check\s+still_present python3 scripts\/check_docs_drift\.py exited 1: the gap is still present$/.test(line)));
  assert.ok(lines.some((line) => /^approval  action-[0-9a-f]{12}  No autonomous executor for action_type file_move$/.test(line)));
  assert.is(lines.at(-1), '3 action(s) require manual approval');
});

test('a verification sees a fix: resolved', async () => {
  const repo = repoWithDrift();
  await anchored(repo.dir);
  await runBin(['gaps', 'scan', '--write', '--fail-on', 'never'], { cwd: repo.dir });
  writeFileSync(join(repo.dir, 'scripts/check_docs_drift.py'), 'print("in sync")\n');
  // The session scans afresh: the drift gap is gone, so there is nothing to verify for it.
  const { session, report } = await runAutopilotSession({ enable: true, workspace: repo.dir, cwd: repo.dir, env: testEnv() });
  assert.not.ok(report!.gaps.some((gap) => gap.gap_type === 'doc_drift'));
  assert.ok(session.action_results!.every((result) => result.verdict === 'still_present'));
});

test.run();
