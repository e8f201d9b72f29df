// `autopack plan propose` as users run it: after `gaps scan --write`, on a real repository.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import renderPlanText from '../lib/report/plan/text.ts';
import * as assert from 'uvu/assert';
import { validateArtifact } from '../lib/contracts/artifacts.ts';
import { runBin } from './helpers/cli.ts';
import { makeRepo, snapshotTree } from './helpers/git-fixture.ts';

function demoRepo() {
  return makeRepo({
    files: { 'README.md': '# Demo\n', 'docs/guide.md': 'Guide\n', 'scripts/check_docs_drift.py': 'import sys\nprint("docs/index.md links to a missing page")\nsys.exit(1)\n' },
    worktree: { 'docs/guide.md': 'Guide, edited\n', 'NOTES.md': 'scratch\n' },
  });
}

test('gaps scan --write, anchor init --write, then plan propose works on a real repository', async () => {
  const repo = demoRepo();
  assert.is((await runBin(['gaps', 'scan', '--write', '--fail-on', 'never'], { cwd: repo.dir })).code, 0);
  assert.is((await runBin(['anchor', 'init', '--write'], { cwd: repo.dir })).code, 0);
  const before = snapshotTree(repo.dir);
  const result = await runBin(['plan', 'propose'], { cwd: repo.dir });
  assert.is(result.code, 0, result.stderr);
  const plan = JSON.parse(result.stdout);
  assert.ok(validateArtifact('plan_proposal_v1', plan).ok);
  const report = JSON.parse(readFileSync(join(repo.dir, `.autonomous_runs/${plan.project_id}/runs/local/gaps/gap_report_v1.json`), 'utf8'));
  assert.is(plan.gap_report_id, report.report_id);
  assert.match(result.stderr, /Generated 7 actions \(4 auto-approved, 2 require approval, 1 blocked\)/);
  assert.equal(snapshotTree(repo.dir), before, 'nothing written without --write');
});

test('--write writes plans/plan_proposal_v1.json and nothing else; --format text is one line per action', async () => {
  const repo = demoRepo();
  await runBin(['gaps', 'scan', '--write', '--fail-on', 'never', '--run-id', 'r1'], { cwd: repo.dir });
  await runBin(['anchor', 'init', '--write', '--run-id', 'r1'], { cwd: repo.dir });
  const project = readdirSync(join(repo.dir, '.autonomous_runs')).filter((name) => !name.startsWith('.'))[0]!;
  const runDir = join(repo.dir, '.autonomous_runs', project, 'runs/r1');
  const text = await runBin(['plan', 'propose', '--run-id', 'r1', '--write', '--format', 'text'], { cwd: repo.dir });
  assert.is(text.code, 0, text.stderr);
  assert.equal(readdirSync(runDir).sort(), ['gaps', 'intention', 'plans']);
  assert.equal(readdirSync(join(runDir, 'plans')), ['plan_proposal_v1.json']);
  const plan = JSON.parse(readFileSync(join(runDir, 'plans/plan_proposal_v1.json'), 'utf8'));
  const lines = text.stdout.trim().split('\n');
  assert.is(lines.length, plan.actions.length + 1);
  assert.match(lines[0]!, /^blocked\s+action-[0-9a-f]{12}\s+doc_update\s+-\s+Review protected path changes: Protected path modifications: 1 — High risk score: 0\.8$/);
  assert.ok(lines.some((line) => /^auto_approved\s+action-[0-9a-f]{12}\s+verify\s+rerun_check\s+Verify: Documentation drift detected — Low risk \(0\.1\) with read_only effects only$/.test(line)));
  assert.match(lines.at(-1)!, /^7 actions: 4 auto-approved, 2 require approval, 1 blocked; a gap blocks autopilot; plan-[0-9a-f]{12}$/);
  assert.is(repo.git('status', '--porcelain'), ' M docs/guide.md\n?? NOTES.md\n');
});

test('refuses to guess: no anchor, no report, a malformed report or anchor are exit 2 naming the file', async () => {
  const repo = demoRepo();
  const noAnchor = await runBin(['plan', 'propose'], { cwd: repo.dir });
  assert.is(noAnchor.code, 2);
  assert.is(noAnchor.stdout, '');
  assert.ok(noAnchor.stderr.trim().split('\n').length <= 5);
  assert.match(noAnchor.stderr, /No intention anchor found; refusing to guess/);
  assert.match(noAnchor.stderr, /tried: \.autonomous_runs\/.*\/intention\/intention_anchor_v2\.json/);
  assert.match(noAnchor.stderr, /autopack anchor init --write/);

  await runBin(['anchor', 'init', '--out', 'anchor.json'], { cwd: repo.dir });
  const noReport = await runBin(['plan', 'propose', '--anchor-path', 'anchor.json'], { cwd: repo.dir });
  assert.is(noReport.code, 2);
  assert.match(noReport.stderr, /No gap report at \.autonomous_runs\/.*\/gaps\/gap_report_v1\.json\nhint: run `autopack gaps scan --write` first/);

  writeFileSync(join(repo.dir, 'bad-report.json'), JSON.stringify({ format_version: 'v1', project_id: 'p', run_id: 'r', generated_at: 'now', gaps: [] }));
  const badReport = await runBin(['plan', 'propose', '--anchor-path', 'anchor.json', '--gap-report-path', 'bad-report.json'], { cwd: repo.dir });
  assert.is(badReport.code, 2);
  assert.match(badReport.stderr, /bad-report\.json: not a valid GapReportV1:\n\s+\$\.generated_at: Invalid ISO 8601 date-time format: 'now'/);

  writeFileSync(join(repo.dir, 'bad-anchor.json'), JSON.stringify({ format_version: 'v2', project_id: 'p' }));
  const badAnchor = await runBin(['plan', 'propose', '--anchor-path', 'bad-anchor.json'], { cwd: repo.dir });
  assert.is(badAnchor.code, 2);
  assert.match(badAnchor.stderr, /bad-anchor\.json: not a valid IntentionAnchorV2:\n\s+\$: Missing required field 'created_at'/);
  assert.is((await runBin(['plan', 'propose', '--anchor-path', 'missing.json'], { cwd: repo.dir })).stderr.includes('Intention anchor not found: missing.json'), true);
});

test('mismatched project or run ids are warnings on stderr, not errors', async () => {
  const repo = demoRepo();
  await runBin(['gaps', 'scan', '--write', '--fail-on', 'never', '--project-id', 'shop'], { cwd: repo.dir });
  await runBin(['anchor', 'init', '--out', 'anchor.json', '--project-id', 'other'], { cwd: repo.dir });
  const result = await runBin(['plan', 'propose', '--anchor-path', 'anchor.json', '--project-id', 'shop'], { cwd: repo.dir });
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stderr, /project ids differ: anchor 'other', gap report 'shop'/);
  assert.match(result.stderr, /--project-id 'shop' differs from the anchor's 'other'/);
  assert.is(JSON.parse(result.stdout).project_id, 'shop');
});

test('the text summary counts in words that agree: 1 action, 1 requires approval', () => {
  const action = { action_id: 'action-000000000000', action_type: 'custom', title: 't', approval_status: 'requires_approval', approval_reason: 'r' };
  const plan = { actions: [action], summary: { total_actions: 1, auto_approved_actions: 0, requires_approval_actions: 1, blocked_actions: 0 }, proposal_id: 'plan-000000000000' };
  const line = renderPlanText(plan as never, {} as never).trim().split('\n').at(-1);
  assert.is(line, '1 action: 0 auto-approved, 1 requires approval, 0 blocked; plan-000000000000');
});

test.run();
