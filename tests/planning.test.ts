// The plan proposer: gaps to actions, verification actions bound to read-only handlers,
// ids, summary and governance checks, and well-formed plans from any valid report.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createAnchor } from '../lib/anchor/create-anchor.ts';
import { validateArtifact } from '../lib/contracts/artifacts.ts';
import type { GapReportV1 } from '../lib/contracts/gap-report.ts';
import { scanGaps } from '../lib/gaps/scan-gaps.ts';
import { actionId, proposalId, proposePlan, verifiersFor } from '../lib/planning/propose.ts';
import { loadRegistry } from '../lib/registry/load.ts';
import { fixedClock } from '../lib/util/clock.ts';
import { makeRepo, tempDir, testEnv } from './helpers/git-fixture.ts';

const registry = await loadRegistry();
const clock = fixedClock(new Date('2026-03-01T00:00:00Z'));
const anchor = createAnchor({ projectId: 'autopack', input: 'hello', now: clock.now() });
const propose = (report: GapReportV1, a = anchor) =>
  proposePlan({ anchor: a, report, registry, runDirRel: '.autonomous_runs/autopack/runs/demo-run-001', clock, version: 'test' });

/** A report as the Python tool writes it: no report_id. */
const pythonReport: GapReportV1 = {
  format_version: 'v1',
  project_id: 'autopack',
  run_id: 'demo-run-001',
  generated_at: '2026-01-06T12:00:00Z',
  workspace_state_digest: '8d2e2ea08255a736',
  gaps: [
    {
      gap_id: 'protected_path_violation-1bd16df23ca2', gap_type: 'protected_path_violation', title: 'Protected path modifications: 1',
      description: 'Found 1 modifications to protected paths', detection_signals: ['1 modified files in protected paths'],
      evidence: { file_paths: ['docs/INDEX.md'], test_names: [], excerpts: [] }, risk_classification: 'high', blocks_autopilot: true,
      safe_remediation: { approach: 'Review and approve protected path changes', requires_approval: true, estimated_actions: 1 },
    },
    {
      gap_id: 'doc_drift-e8b63e97f2bc', gap_type: 'doc_drift', title: 'Documentation drift detected',
      description: 'scripts/check_docs_drift.py failed with exit code 1', detection_signals: ['Exit code: 1', 'Check failed'],
      evidence: { file_paths: [], test_names: [], excerpts: [], command_evidence: { command: 'python scripts/check_docs_drift.py', exit_code: 1, stdout_hash: '4418d7b1e4639f88', stderr_excerpt: '' } },
      risk_classification: 'medium', blocks_autopilot: false,
    },
    {
      gap_id: 'root_clutter-f3d58dda5146', gap_type: 'root_clutter', title: 'Root clutter: 1 files should be in docs/',
      detection_signals: ['Found 1 markdown files in root'], evidence: { file_paths: ['NOTES.md'], test_names: [], excerpts: [] },
      risk_classification: 'medium', blocks_autopilot: false,
    },
  ],
  summary: { total_gaps: 3, critical_gaps: 0, high_gaps: 1, medium_gaps: 2, low_gaps: 0, autopilot_blockers: 1 },
  metadata: { scanner_version: '1.1.0', scan_duration_ms: 2044 },
};

test('a report written by the Python tool gives a well-formed plan with the reference ids', async () => {
  const plan = await propose(pythonReport);
  assert.ok(validateArtifact('plan_proposal_v1', plan).ok);
  assert.is(plan.anchor_id, 'anchor-2cf24dba5fb0a30e');
  assert.is(plan.gap_report_id, 'gap-report-8d2e2ea08255', 'legacy id when the report has no report_id');
  assert.is(plan.run_id, 'demo-run-001');
  const remediation = plan.actions.filter((action) => action.action_type !== 'verify');
  assert.equal(remediation.map((a) => a.action_id), ['action-a244efb570ae', 'action-91710cd76569', 'action-c715e5eca11f']);
  assert.equal(remediation.map((a) => a.approval_status), ['blocked', 'requires_approval', 'requires_approval']);
  assert.is(remediation[2]!.approval_reason, 'No autonomous executor for action_type file_move', 'the file move the Python tool auto-approved');
  assert.is(plan.autopilot_blocked, true);
});

test('verification actions are bound to the most specific read-only handler and auto-approved', async () => {
  const plan = await propose(pythonReport);
  const verify = plan.actions.filter((action) => action.action_type === 'verify');
  assert.equal(verify.map((a) => [a.target_gap_ids[0], a.handler, a.effects, a.approval_status]), [
    ['protected_path_violation-1bd16df23ca2', 'rescan_gap', ['read_only'], 'auto_approved'],
    ['doc_drift-e8b63e97f2bc', 'rerun_check', ['read_only'], 'auto_approved'],
    ['doc_drift-e8b63e97f2bc', 'capture_check_log', ['run_local_write'], 'auto_approved'],
    ['root_clutter-f3d58dda5146', 'rescan_gap', ['read_only'], 'auto_approved'],
  ]);
  assert.is(verify[1]!.action_id, actionId('doc_drift-e8b63e97f2bc', 'verify', 'rerun_check'));
  const handlers = [...registry.actions.values()];
  assert.equal(verifiersFor('unknown', handlers), [], 'a failed detector gets no verification');
  assert.equal(verifiersFor('license_missing', handlers).map((h) => h.id), ['rescan_gap']);
  assert.equal(verifiersFor('doc_drift', handlers).map((h) => h.id), ['rerun_check', 'capture_check_log'], 'read-only first');
  // Remediation actions without a handler say so; a move's rollback moves the file back (tracked or not).
  const clutter = plan.actions.find((a) => a.action_id === 'action-c715e5eca11f')!;
  assert.equal([clutter.handler, clutter.effects, clutter.command, clutter.rollback_strategy], [undefined, undefined, 'mkdir -p docs && mv -- NOTES.md docs/NOTES.md', 'mv -- docs/NOTES.md NOTES.md']);
});

test('summary, budget and governance checks cover every action and path', async () => {
  const plan = await propose(pythonReport);
  assert.equal(plan.summary, { total_actions: 7, auto_approved_actions: 4, requires_approval_actions: 2, blocked_actions: 1, total_estimated_tokens: 900, total_estimated_time_seconds: 40 });
  const checks = plan.governance_checks!;
  assert.is(checks.default_deny_applied, true);
  assert.equal(checks.never_auto_approve_violations, []);
  assert.equal(checks.protected_path_checks!.filter((c) => c.path === 'docs/INDEX.md').map((c) => c.is_protected), [true, true]);
  assert.equal(checks.protected_path_checks!.filter((c) => c.path === 'NOTES.md').map((c) => c.is_protected), [false, false]);
  assert.equal(checks.budget_compliance, { within_global_cap: true, within_per_call_cap: true });
});

test('ids: proposal_id is stable for the same inputs and changes with any decision', async () => {
  const first = await propose(pythonReport);
  assert.is((await propose(pythonReport)).proposal_id, first.proposal_id);
  assert.is(first.proposal_id, proposalId(first.anchor_id, first.gap_report_id, first.actions));
  const strict = createAnchor({ projectId: 'autopack', input: 'hello', now: clock.now() });
  strict.pivot_intentions.safety_risk = { never_allow: [], requires_approval: ['verify'], risk_tolerance: 'low' };
  assert.is.not((await propose(pythonReport, strict)).proposal_id, first.proposal_id);
  assert.is((await propose({ ...pythonReport, report_id: 'gap-report-000000000001' })).gap_report_id, 'gap-report-000000000001');
});

test('never throws: no digest, no report id, over budget, unknown and plugin gap types', async () => {
  const { workspace_state_digest: _digest, ...noDigest } = pythonReport;
  const plan = await propose(noDigest as GapReportV1);
  assert.is(plan.gap_report_id, 'gap-report-unknown');
  assert.ok(validateArtifact('plan_proposal_v1', plan).ok);
  const tight = createAnchor({ projectId: 'p', now: clock.now() });
  tight.pivot_intentions.budget_cost = { token_cap_global: 100, token_cap_per_call: 50, cost_escalation_policy: 'block' };
  const over = await propose(pythonReport, tight);
  assert.ok(validateArtifact('plan_proposal_v1', over).ok);
  assert.equal(over.governance_checks!.budget_compliance, { within_global_cap: false, within_per_call_cap: false, estimated_usage_pct: 100 });
  assert.ok(over.actions.filter((a) => a.action_type !== 'verify').every((a) => a.approval_status === 'blocked'));
  const odd: GapReportV1 = {
    ...pythonReport,
    gaps: [
      { gap_id: 'unknown-abc', gap_type: 'unknown', detection_signals: [], risk_classification: 'high', blocks_autopilot: true },
      { gap_id: 'license_missing-abc', gap_type: 'license_missing', detection_signals: [], risk_classification: 'low', blocks_autopilot: false },
    ],
  };
  const oddPlan = await propose(odd);
  assert.equal(oddPlan.actions.map((a) => [a.action_type, a.approval_status]), [['custom', 'blocked'], ['custom', 'requires_approval'], ['verify', 'auto_approved']]);
  const empty = await propose({ ...pythonReport, gaps: [] });
  assert.equal([empty.actions, empty.summary!.total_actions, empty.autopilot_blocked], [[], 0, false]);
});

test('evidence cut at 10 paths is named in the governance notes, never silently dropped', async () => {
  const files = Array.from({ length: 15 }, (_, i) => `N${String(i).padStart(2, '0')}.md`);
  const report: GapReportV1 = {
    ...pythonReport,
    gaps: [{ gap_id: 'root_clutter-x', gap_type: 'root_clutter', title: 'Root clutter: 15 files should be in docs/', detection_signals: [], evidence: { file_paths: files.slice(0, 10), file_paths_total: 15, test_names: [], excerpts: [] }, risk_classification: 'medium', blocks_autopilot: false }],
  };
  const plan = await propose(report);
  assert.is(plan.governance_checks!.protected_path_checks!.length, 20, 'every shown path of both actions');
  assert.match(plan.governance_checks!.notes!.join('\n'), /lists 15 paths and the report shows 10; the other 5 were not checked/);
});

test('suggested commands are never executed by the proposer', async () => {
  const dir = tempDir();
  const marker = join(dir, 'ran');
  const report: GapReportV1 = {
    ...pythonReport,
    gaps: [{ ...pythonReport.gaps[1]!, evidence: { file_paths: [], test_names: [], excerpts: [], command_evidence: { command: `touch ${marker}`, argv: ['touch', marker], exit_code: 1, stdout_hash: '', stderr_excerpt: '' } } }],
  };
  const plan = await propose(report);
  assert.is(plan.actions[0]!.command, `touch ${marker}`);
  assert.not.ok(existsSync(marker));
});

test('a real scan of a real repository proposes a valid plan', async () => {
  const repo = makeRepo({ files: { 'README.md': 'r\n', 'docs/a.md': 'a\n' }, worktree: { 'NOTES.md': 'n\n', 'docs/a.md': 'b\n' } });
  const { report } = await scanGaps({ workspace: repo.dir, cwd: repo.dir, env: testEnv(), clock });
  const plan = await propose(report);
  assert.ok(validateArtifact('plan_proposal_v1', plan).ok);
  assert.is(plan.gap_report_id, report.report_id);
  assert.is(plan.actions.filter((a) => a.action_type !== 'verify').length, report.gaps.length);
});

test.run();
