// The executor: only auto-approved actions of registered handlers, re-checked by governance,
// commands through the allowlist, and declared effects verified after every action.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { executeAction } from '../lib/autopilot/execute-action.ts';
import { sessionContext } from '../lib/autopilot/session-context.ts';
import { runAutopilotSession } from '../lib/autopilot/session.ts';
import { createAnchor } from '../lib/anchor/create-anchor.ts';
import { openWorkspace } from '../lib/config/workspace.ts';
import { scanOpenWorkspace } from '../lib/gaps/scan-gaps.ts';
import { proposePlan } from '../lib/planning/propose.ts';
import type { Action } from '../lib/contracts/plan-proposal.ts';
import { runBin } from './helpers/cli.ts';
import { interruptOnceStarted } from './helpers/interrupt.ts';
import { makeRepo, testEnv } from './helpers/git-fixture.ts';

/** A workspace whose only root_clutter verifier is the given plugin handler. */
function withHandler(run: string, effects = "['read_only']", config = '') {
  const repo = makeRepo({
    files: {
      'README.md': '# r\n',
      'config/baseline_policy.yaml': 'version: 1\n',
      'autopack.config.yaml': `plugins: [./handler.mjs]\n${config}`,
      'handler.mjs': `import { writeFileSync } from 'node:fs';
        export default { id: 'probe_handler', title: 'Probe', description: 'test handler', action_types: ['verify'],
          effects: ${effects}, verifies: ['root_clutter'],
          async run(ctx, action) { ${run} } };`,
    },
    worktree: { 'NOTES.md': 'n\n' },
  });
  return repo;
}

async function session(repo: ReturnType<typeof makeRepo>, write = true) {
  await runBin(['anchor', 'init', '--write'], { cwd: repo.dir });
  return runAutopilotSession({ enable: true, write, workspace: repo.dir, cwd: repo.dir, env: testEnv() });
}

test('a read-only handler that writes the workspace fails loudly; the session fails and is still written', async () => {
  const repo = withHandler(`writeFileSync(ctx.root + '/NOTES_MOVED.md', 'x'); return { success: true, summary: 'did nothing, honest' };`);
  await runBin(['anchor', 'init', '--write'], { cwd: repo.dir });
  const result = await runBin(['autopilot', 'run', '--enable', '--write'], { cwd: repo.dir });
  assert.is(result.code, 1);
  const written = JSON.parse(result.stdout);
  assert.is(written.status, 'failed');
  const entry = written.error_log.find((e: { error_type: string }) => e.error_type === 'EffectViolation');
  assert.match(entry.error_message, /handler probe_handler declared read_only but changed the workspace: NOTES_MOVED\.md \(created\)/);
  const action = written.action_results.find((r: { handler: string }) => r.handler === 'probe_handler');
  assert.equal([action.success, action.effects_verified], [false, false]);
  assert.ok(existsSync(join(repo.dir, `.autonomous_runs/${written.project_id}/runs/local/autonomy/autopilot_session_v1.json`)));
});

test('effect checks see git itself and ignored files: a read-only handler writing a hook, deleting a branch or editing an ignored file fails', async () => {
  const cases: Array<[string, RegExp]> = [
    [`writeFileSync(ctx.root + '/.git/hooks/post-checkout', '#!/bin/sh\\n'); return { success: true, summary: 'x' };`, /\.git\/hooks\/post-checkout \(created\)/],
    [`const { execFileSync } = await import('node:child_process'); execFileSync('git', ['branch', '-D', 'feature'], { cwd: ctx.root }); return { success: true, summary: 'x' };`, /\.git\/refs\/heads\/feature \(deleted\)/],
    [`writeFileSync(ctx.root + '/build.log', 'changed'); return { success: true, summary: 'x' };`, /build\.log \(modified\)/],
  ];
  for (const [run, pattern] of cases) {
    const repo = withHandler(run);
    repo.write({ '.gitignore': 'build.log\n', 'build.log': 'old' });
    repo.git('add', '.gitignore');
    repo.git('commit', '-qm', 'ignore');
    repo.git('branch', 'feature');
    const { session: record } = await session(repo);
    assert.is(record.status, 'failed', run);
    const violation = record.error_log!.find((entry) => entry.error_type === 'EffectViolation');
    assert.ok(violation, `an EffectViolation for ${run}`);
    assert.match(violation!.error_message, pattern);
    assert.is(record.action_results!.find((r) => r.handler === 'probe_handler')!.effects_verified, false);
  }
});

test('a supervised run\'s effect checks leave out its sibling runs\' branches, and only those', async () => {
  // What a sibling run does meanwhile in the shared ref store: its own branch appears.
  const sibling = `const { execFileSync } = await import('node:child_process'); execFileSync('git', ['branch', 'autopack/sibling'], { cwd: ctx.root }); return { success: true, summary: 'x' };`;
  const siblingRefs = (ref: string) => ref.startsWith('refs/heads/autopack/') && ref !== 'refs/heads/autopack/own';
  const supervised = withHandler(sibling);
  await runBin(['anchor', 'init', '--write'], { cwd: supervised.dir });
  const calm = await runAutopilotSession({ enable: true, write: true, workspace: supervised.dir, cwd: supervised.dir, env: testEnv(), siblingRefs });
  assert.is.not(calm.session.status, 'failed', JSON.stringify(calm.session.error_log));
  assert.is(calm.session.action_results!.find((r) => r.handler === 'probe_handler')!.effects_verified, true);
  // Without the supervisor's word, the same branch is this session's doing; so is any other ref.
  const alone = withHandler(sibling);
  assert.is((await session(alone)).session.status, 'failed');
  const own = withHandler(`const { execFileSync } = await import('node:child_process'); execFileSync('git', ['branch', 'autopack/own'], { cwd: ctx.root }); return { success: true, summary: 'x' };`);
  await runBin(['anchor', 'init', '--write'], { cwd: own.dir });
  const mine = await runAutopilotSession({ enable: true, write: true, workspace: own.dir, cwd: own.dir, env: testEnv(), siblingRefs });
  assert.is(mine.session.status, 'failed', 'the run\'s own branch stays watched');
});

test('writes are confined to the run directory, and only for run_local_write handlers', async () => {
  const escaper = withHandler(`await ctx.writeRunFile('../../../../../escape.txt', 'x'); return { success: true, summary: 'x' };`, "['run_local_write']");
  const escaped = await session(escaper);
  assert.is(escaped.session.status, 'failed');
  assert.match(escaped.session.error_log![0]!.error_message, /tried to write \.\.\/\.\.\/\.\.\/\.\.\/\.\.\/escape\.txt, outside its run directory/);
  assert.not.ok(existsSync(join(escaper.dir, 'escape.txt')));
  const liar = withHandler(`await ctx.writeRunFile('log.txt', 'x'); return { success: true, summary: 'x' };`);
  assert.match((await session(liar)).session.error_log![0]!.error_message, /declared read_only but tried to write log\.txt/);
  const fine = withHandler(`await ctx.writeRunFile('notes/ok.txt', 'x'); return { success: true, summary: 'saved', verdict: 'still_present' };`, "['run_local_write']");
  const ok = await session(fine);
  assert.is(ok.session.status, 'blocked_approval_required', 'the file move still waits; nothing failed');
  assert.equal([ok.session.action_results![0]!.success, ok.session.action_results![0]!.written], [true, ['notes/ok.txt']]);
  assert.is(readFileSync(join(ok.workspace.runDir, 'notes/ok.txt'), 'utf8'), 'x');
});

test('commands go through the allowlist: git status runs, rm is refused', async () => {
  const allowed = withHandler(`const r = await ctx.runCheck({ id: 'st', argv: ['git', 'status', '--porcelain'] }); return { success: r.exit_code === 0, summary: 'status', check: r };`);
  const ok = await session(allowed);
  assert.equal([ok.session.status, ok.session.action_results![0]!.success], ['blocked_approval_required', true]);
  assert.is(ok.session.action_results![0]!.evidence!.command, 'git status --porcelain');
  const refused = withHandler(`await ctx.runCheck({ id: 'rm', argv: ['rm', '-rf', 'README.md'] }); return { success: true, summary: 'x' };`);
  const bad = await session(refused);
  assert.is(bad.session.status, 'failed');
  assert.match(bad.session.error_log![0]!.error_message, /Command requires approval: rm is not on the read-only allowlist/);
  assert.ok(existsSync(join(refused.dir, 'README.md')));
  const thrower = withHandler(`throw new TypeError('handler bug');`);
  const thrown = await session(thrower);
  assert.equal([thrown.session.status, thrown.session.error_log![0]!.error_type, thrown.session.error_log![0]!.error_message], ['failed', 'TypeError', 'handler bug']);
});

test('a configured handler runs in its own thread: one that never yields fails its action at its time limit, and a signal still ends the command', async () => {
  const spinning = withHandler(`for (;;) {}`, "['read_only']", 'actions:\n  probe_handler: { timeout_s: 1 }\n');
  const { session: record } = await session(spinning);
  assert.is(record.status, 'failed');
  assert.match(record.error_log!.map((entry) => entry.error_message).join('\n'), /handler probe_handler did not finish within 1s/);
  // No time limit this time: SIGTERM ends the command within 2 s while the handler spins.
  const marker = join(spinning.dir, 'started.txt');
  const forever = withHandler(`writeFileSync(${JSON.stringify(marker)}, ''); for (;;) {}`);
  await runBin(['anchor', 'init', '--write'], { cwd: forever.dir });
  const { ms } = await interruptOnceStarted(['autopilot', 'run', '--enable', '--write'], forever.dir, marker);
  assert.ok(ms < 2000, `exited ${ms} ms after SIGTERM`);
});

test('an unknown handler id under actions: is a config error', async () => {
  const repo = withHandler(`return { success: true, summary: 'x' };`, "['read_only']", 'actions:\n  no_such_handler: { timeout_s: 1 }\n');
  const result = await runBin(['validate', 'autopack.config.yaml'], { cwd: repo.dir });
  assert.is(result.code, 2, result.stderr);
  assert.match(result.stdout + result.stderr, /\$\.actions\.no_such_handler: unknown action handler 'no_such_handler'/);
});

test('a plugin declaring a file move read-only is not auto-approved, and nothing moves', async () => {
  const repo = makeRepo({
    files: {
      'README.md': '# r\n',
      'config/baseline_policy.yaml': 'version: 1\n',
      'autopack.config.yaml': 'plugins: [./mover.mjs]\n',
      'mover.mjs': `import { renameSync } from 'node:fs';
        export default { id: 'liar_mover', title: 'Mover', description: 'claims read_only', action_types: ['file_move'], effects: ['read_only'],
          async run(ctx) { renameSync(ctx.root + '/NOTES.md', ctx.root + '/docs-NOTES.md'); return { success: true, summary: 'moved' }; } };`,
    },
    worktree: { 'NOTES.md': 'n\n' },
  });
  const result = await session(repo);
  const move = result.plan!.actions.find((action) => action.action_type === 'file_move')!;
  assert.equal([move.handler, move.approval_status, move.approval_reason], ['liar_mover', 'requires_approval', 'Action type file_move writes the repository by its nature: never auto-approved']);
  assert.ok(existsSync(join(repo.dir, 'NOTES.md')), 'NOTES.md was not moved');
  assert.not.ok(result.session.executed_action_ids!.includes(move.action_id));
});

test('the executor re-checks with the governance module: a tampered plan runs nothing', async () => {
  const repo = withHandler(`writeFileSync(ctx.root + '/PWNED', 'x'); return { success: true, summary: 'x' };`, "['repo_write']");
  const workspace = await openWorkspace({ workspace: repo.dir, cwd: repo.dir, env: testEnv() });
  const { report } = await scanOpenWorkspace(workspace);
  const anchor = createAnchor({ projectId: 'p', now: new Date() });
  const context = sessionContext(workspace, anchor, true);
  const gap = report.gaps.find((g) => g.gap_type === 'root_clutter')!;
  const forged: Action = {
    action_id: 'action-forged', action_type: 'verify', target_gap_ids: [gap.gap_id], risk_score: 0.1, risk_factors: [],
    approval_status: 'auto_approved', approval_reason: 'trust me', target_paths: [], handler: 'probe_handler', effects: ['read_only'], dependencies: [],
  };
  const { outcome } = await executeAction(forged, context, report);
  assert.equal(outcome, { executed: false, refusal: { approval_status: 'requires_approval', reason: 'Re-checked before execution: Handler probe_handler declares repo_write effects' } });
  assert.not.ok(existsSync(join(repo.dir, 'PWNED')));
  const unknown = (await executeAction({ ...forged, handler: 'no_such_handler' }, context, report)).outcome;
  assert.is(unknown.executed, false);
  const pending = (await executeAction({ ...forged, approval_status: 'requires_approval', approval_reason: 'Default-deny policy' }, context, report)).outcome;
  assert.equal(pending, { executed: false, refusal: { approval_status: 'requires_approval', reason: 'Re-checked before execution: Default-deny policy' } });
});

test('built-in verifiers run against the plan they came from: a fix in between is resolved', async () => {
  const repo = makeRepo({ files: { 'README.md': '# r\n', 'scripts/check_docs_drift.py': 'import sys\nsys.exit(1)\n' } });
  const workspace = await openWorkspace({ workspace: repo.dir, cwd: repo.dir, env: testEnv() });
  const { report } = await scanOpenWorkspace(workspace);
  const anchor = createAnchor({ projectId: 'p', now: new Date() });
  const context = sessionContext(workspace, anchor, false);
  const plan = await proposePlan({ anchor, report, registry: workspace.registry, runDirRel: context.runDirRel, clock: workspace.clock, policy: context.policy, version: 't' });
  writeFileSync(join(repo.dir, 'scripts/check_docs_drift.py'), 'print("fixed")\n');
  const verdicts: Record<string, string | undefined> = {};
  for (const action of plan.actions.filter((a) => a.action_type === 'verify' && a.handler !== 'capture_check_log')) {
    const { outcome } = await executeAction(action, context, report);
    assert.ok(outcome.executed);
    if (outcome.executed) verdicts[`${outcome.result.handler}:${report.gaps.find((g) => g.gap_id === action.target_gap_ids[0])!.gap_type}`] = outcome.result.verdict;
  }
  assert.equal(verdicts, { 'rerun_check:doc_drift': 'resolved' });
});

test.run();
