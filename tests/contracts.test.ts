// The schema cases of every artifact (as the Python tool's tests pin them), plus the error format.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { detectArtifactKind, resolveArtifactName, validateArtifact, type ArtifactName } from '../lib/contracts/artifacts.ts';
import * as v from 'valibot';
import { IntentionAnchorV2 } from '../lib/contracts/anchor.ts';

const NOW = '2026-01-06T12:00:00+00:00';

function errors(name: ArtifactName, data: unknown, gapTypes?: string[]): string[] {
  const result = validateArtifact(name, data, gapTypes ? { gapTypes } : {});
  return result.ok ? [] : result.issues.map((issue) => `${issue.path}: ${issue.message}`);
}
const mentions = (list: string[], word: string) => list.some((line) => line.toLowerCase().includes(word.toLowerCase()));

// ---- IntentionAnchorV2 ----
const minimalAnchor = { format_version: 'v2', project_id: 'test-project', created_at: NOW, raw_input_digest: 'a1b2c3d4e5f67890', pivot_intentions: {} };
const fullAnchor = {
  format_version: 'v2',
  project_id: 'test-project',
  created_at: '2026-01-06T12:00:00+00:00',
  updated_at: '2026-01-06T12:30:00+00:00',
  raw_input_digest: 'a1b2c3d4e5f67890abcdef1234567890',
  pivot_intentions: {
    north_star: { desired_outcomes: ['Build safe autonomous system'], success_signals: ['All tests pass', 'No drift detected'], non_goals: ['Not a production system yet'] },
    safety_risk: { never_allow: ['Direct SOT writes from executor'], requires_approval: ['Baseline updates', 'Schema changes'], risk_tolerance: 'low' },
    evidence_verification: { hard_blocks: ['CI must pass'], required_proofs: ['Phase proof artifacts'], verification_gates: ['Quality gate'] },
    scope_boundaries: { allowed_write_roots: ['.autonomous_runs/'], protected_paths: ['docs/', '.git/'], network_allowlist: ['api.anthropic.com'] },
    budget_cost: { token_cap_global: 1000000, token_cap_per_call: 10000, time_cap_seconds: 3600, cost_escalation_policy: 'request_approval' },
    memory_continuity: { persist_to_sot: ['build_history', 'debug_log'], derived_indexes: ['sot_entries', 'qdrant'], retention_rules: { phase_proofs: '30_days' } },
    governance_review: {
      default_policy: 'deny',
      auto_approve_rules: [{ rule_id: 'safe_test_runs', description: 'Auto-approve test-only runs', conditions: ['no_writes', 'test_scope_only'] }],
      approval_channels: ['PR', 'CLI', 'Telegram'],
    },
    parallelism_isolation: { allowed: true, isolation_model: 'four_layer', max_concurrent_runs: 4 },
  },
  metadata: { author: 'test-user', source: 'manual', tags: ['test', 'prototype'] },
};

test('anchor: minimal and full documents are valid', () => {
  assert.equal(errors('intention_anchor_v2', minimalAnchor), []);
  assert.equal(errors('intention_anchor_v2', fullAnchor), []);
});

test('anchor: missing required fields are each named', () => {
  const list = errors('intention_anchor_v2', { format_version: 'v2', project_id: 'test-project' });
  assert.ok(list.length >= 3);
  for (const field of ['created_at', 'raw_input_digest', 'pivot_intentions']) assert.ok(mentions(list, field), field);
});

test('anchor: wrong values name the field and the rule', () => {
  assert.ok(mentions(errors('intention_anchor_v2', { ...minimalAnchor, format_version: 'v1' }), 'format_version'));
  assert.ok(mentions(errors('intention_anchor_v2', { ...minimalAnchor, created_at: 'not-a-date' }), 'date-time'));
  assert.ok(mentions(errors('intention_anchor_v2', { ...minimalAnchor, raw_input_digest: 'invalid!digest' }), 'pattern'));
  const tolerance = errors('intention_anchor_v2', { ...minimalAnchor, pivot_intentions: { safety_risk: { risk_tolerance: 'ultra-high' } } });
  assert.ok(mentions(tolerance, 'risk_tolerance'));
  const cap = errors('intention_anchor_v2', { ...minimalAnchor, pivot_intentions: { budget_cost: { token_cap_global: -1000 } } });
  assert.ok(mentions(cap, 'minimum'));
  const model = errors('intention_anchor_v2', { ...minimalAnchor, pivot_intentions: { parallelism_isolation: { allowed: true, isolation_model: 'three_layer' } } });
  assert.ok(mentions(model, 'isolation_model'));
});

test('anchor: validation is deterministic', () => {
  for (let i = 0; i < 3; i++) assert.equal(errors('intention_anchor_v2', fullAnchor), []);
  const invalid = { format_version: 'v2', project_id: 'test-project' };
  assert.equal([...errors('intention_anchor_v2', invalid)].sort(), [...errors('intention_anchor_v2', invalid)].sort());
});

test('anchor: stricter than the reference (unknown keys, booleans as integers, dates without timezone)', () => {
  assert.ok(mentions(errors('intention_anchor_v2', { ...minimalAnchor, anchor_id: 'x' }), "unknown field 'anchor_id'"));
  assert.ok(mentions(errors('intention_anchor_v2', { ...minimalAnchor, pivot_intentions: { budget_cost: { token_cap_global: true } } }), 'token_cap_global'));
  assert.ok(mentions(errors('intention_anchor_v2', { ...minimalAnchor, created_at: '2026-01-06' }), 'date-time'));
  assert.ok(mentions(errors('intention_anchor_v2', { ...minimalAnchor, created_at: '2026-01-06T12:00:00' }), 'date-time'));
  // Rules need all three fields (the reference schema did not require them).
  const rule = errors('intention_anchor_v2', { ...minimalAnchor, pivot_intentions: { governance_review: { auto_approve_rules: [{ rule_id: 'r' }] } } });
  assert.ok(mentions(rule, 'description') && mentions(rule, 'conditions'));
});

test('anchor: a present section gets its defaults on parse', () => {
  const parsed = v.parse(IntentionAnchorV2, { ...minimalAnchor, pivot_intentions: { parallelism_isolation: { allowed: true } } });
  assert.equal(parsed.pivot_intentions.parallelism_isolation, { allowed: true, isolation_model: 'none', max_concurrent_runs: 1 });
});

// ---- GapReportV1 ----
const minimalReport = { format_version: 'v1', project_id: 'test-project', run_id: 'test-run-001', generated_at: NOW, gaps: [] };
const fullReport = {
  ...minimalReport,
  workspace_state_digest: 'abc123def4567890',
  gaps: [
    {
      gap_id: 'gap-001',
      gap_type: 'doc_drift',
      title: 'Docs drift',
      description: 'd',
      detection_signals: ['signal'],
      evidence: { file_paths: ['docs/a.md'], test_names: ['t'], excerpts: [{ source: 'docs/a.md', content_hash: 'abc', preview: 'text' }] },
      risk_classification: 'medium',
      blocks_autopilot: false,
      safe_remediation: { approach: 'fix', requires_approval: true, estimated_actions: 1 },
    },
    { gap_id: 'gap-002', gap_type: 'test_infra_drift', detection_signals: [], risk_classification: 'high', blocks_autopilot: true },
  ],
  summary: { total_gaps: 2, critical_gaps: 0, high_gaps: 1, medium_gaps: 1, low_gaps: 0, autopilot_blockers: 1 },
  metadata: { scanner_version: '1.1.0', scan_duration_ms: 12 },
};

test('gap report: minimal and full are valid (ids are not format-checked)', () => {
  assert.equal(errors('gap_report_v1', minimalReport), []);
  for (let i = 0; i < 3; i++) assert.equal(errors('gap_report_v1', fullReport), []);
});

test('gap report: required fields and enums', () => {
  const list = errors('gap_report_v1', { format_version: 'v1' });
  assert.ok(list.length >= 4);
  for (const field of ['project_id', 'run_id', 'generated_at', 'gaps']) assert.ok(mentions(list, field), field);
  assert.ok(mentions(errors('gap_report_v1', { ...minimalReport, format_version: 'v2' }), 'format_version'));
  const gap = fullReport.gaps[1]!;
  assert.ok(mentions(errors('gap_report_v1', { ...minimalReport, gaps: [{ ...gap, gap_type: 'not_a_valid_type' }] }), 'gap_type'));
  assert.ok(mentions(errors('gap_report_v1', { ...minimalReport, gaps: [{ ...gap, risk_classification: 'super-critical' }] }), 'risk_classification'));
  const bare = errors('gap_report_v1', { ...minimalReport, gaps: [{ gap_id: 'x' }] });
  for (const field of ['gap_type', 'detection_signals', 'risk_classification', 'blocks_autopilot']) assert.ok(mentions(bare, field), field);
  assert.ok(mentions(errors('gap_report_v1', { ...fullReport, summary: { total_gaps: -1 } }), 'minimum'));
});

test('gap report: plugin gap types are valid only when registered', () => {
  const report = { ...minimalReport, gaps: [{ ...fullReport.gaps[1]!, gap_type: 'license_missing' }] };
  assert.ok(mentions(errors('gap_report_v1', report), 'gap_type'));
  assert.equal(errors('gap_report_v1', report, ['doc_drift', 'unknown', 'license_missing']), []);
});

test('gap report: command evidence is declared (reference schema omitted it)', () => {
  const gap = { ...fullReport.gaps[0]!, evidence: { command_evidence: { command: 'python x.py', exit_code: -1, stdout_hash: 'e3b0c44298fc1c14', stderr_excerpt: 'Script not found: x.py' } } };
  assert.equal(errors('gap_report_v1', { ...minimalReport, gaps: [gap] }), []);
  const bad = { ...gap, evidence: { command_evidence: { command: 'x', exit_code: 'one' } } };
  assert.ok(mentions(errors('gap_report_v1', { ...minimalReport, gaps: [bad] }), 'exit_code'));
});

// ---- PlanProposalV1 ----
const minimalPlan = { format_version: 'v1', project_id: 'p', run_id: 'r', generated_at: NOW, anchor_id: 'anchor-123', gap_report_id: 'gap-report-456', actions: [] };
const action = {
  action_id: 'action-001',
  action_type: 'doc_update',
  title: 't',
  description: 'd',
  target_gap_ids: ['gap-001'],
  risk_score: 0.3,
  risk_factors: ['Modifies docs/'],
  approval_status: 'requires_approval',
  approval_reason: 'Default-deny policy',
  target_paths: ['docs/a.md'],
  estimated_cost: { tokens: 500, time_seconds: 10, api_calls: 0 },
  dependencies: [],
};
const fullPlan = {
  ...minimalPlan,
  actions: [action, { ...action, action_id: 'action-002', action_type: 'file_move', dependencies: ['action-001'], approval_status: 'blocked' }],
  summary: { total_actions: 2, auto_approved_actions: 0, requires_approval_actions: 1, blocked_actions: 1, total_estimated_tokens: 1000 },
  governance_checks: {
    default_deny_applied: true,
    never_auto_approve_violations: [],
    protected_path_checks: [{ path: 'docs/a.md', is_protected: true, action_id: 'action-001' }],
    budget_compliance: { within_global_cap: true, within_per_call_cap: true, estimated_usage_pct: 0.25 },
  },
  metadata: { proposer_version: '1.0.0', generation_duration_ms: 0 },
};

test('plan: minimal and full are valid', () => {
  assert.equal(errors('plan_proposal_v1', minimalPlan), []);
  for (let i = 0; i < 3; i++) assert.equal(errors('plan_proposal_v1', fullPlan), []);
});

test('plan: required fields, enums and bounds', () => {
  assert.ok(errors('plan_proposal_v1', { format_version: 'v1' }).length >= 6);
  assert.ok(mentions(errors('plan_proposal_v1', { ...minimalPlan, format_version: 'v2' }), 'format_version'));
  const with_ = (patch: object) => errors('plan_proposal_v1', { ...minimalPlan, actions: [{ ...action, ...patch }] });
  assert.ok(mentions(with_({ action_type: 'not_valid' }), 'action_type'));
  assert.ok(mentions(with_({ approval_status: 'maybe_approved' }), 'approval_status'));
  assert.ok(mentions(with_({ risk_score: 1.5 }), 'maximum'));
  assert.ok(mentions(with_({ estimated_cost: { tokens: -100 } }), 'minimum'));
  const bare = errors('plan_proposal_v1', { ...minimalPlan, actions: [{ action_id: 'a' }] });
  for (const field of ['action_type', 'target_gap_ids', 'risk_score', 'approval_status']) assert.ok(mentions(bare, field), field);
});

// ---- AutopilotSessionV1 ----
const minimalSession = {
  format_version: 'v1',
  project_id: 'p',
  run_id: 'r',
  session_id: 'autopilot-3f9a1c2b',
  started_at: NOW,
  status: 'running',
  anchor_id: 'anchor-0123456789abcdef',
  gap_report_id: 'gap-report-7ad6abec8ea0',
  plan_proposal_id: 'plan-1a2b3c4d5e6f',
};
const blockedSession = {
  ...minimalSession,
  completed_at: '2026-01-06T12:00:02.456789Z',
  status: 'blocked_approval_required',
  execution_summary: { total_actions: 4, auto_approved_actions: 0, executed_actions: 0, successful_actions: 0, failed_actions: 0, blocked_actions: 1 },
  executed_action_ids: [],
  blocked_reason: '1 action(s) blocked by governance; 3 action(s) require manual approval',
  approval_requests: [{ action_id: 'action-4ca7971a9632', approval_status: 'blocked', reason: 'High risk score: 0.9' }],
  error_log: [],
  metadata: { autopilot_version: '0.1.0', enabled_explicitly: true },
};

test('session: minimal, full and blocked are valid', () => {
  assert.equal(errors('autopilot_session_v1', minimalSession), []);
  assert.equal(errors('autopilot_session_v1', blockedSession), []);
  const full = {
    ...blockedSession,
    status: 'failed',
    error_log: [{ timestamp: NOW, action_id: 'action-1', error_type: 'Error', error_message: 'boom' }],
    metadata: { autopilot_version: '0.1.0', session_duration_ms: 10, enabled_explicitly: true },
  };
  assert.equal(errors('autopilot_session_v1', full), []);
});

test('session: rejected cases name the field', () => {
  const { format_version: _omit, ...noVersion } = minimalSession;
  assert.ok(mentions(errors('autopilot_session_v1', noVersion), 'format_version'));
  assert.ok(mentions(errors('autopilot_session_v1', { ...minimalSession, status: 'invalid_status' }), 'status'));
  const request = (patch: object) => ({ ...blockedSession, approval_requests: [{ action_id: 'a', approval_status: 'blocked', reason: 'r', ...patch }] });
  assert.ok(mentions(errors('autopilot_session_v1', request({ approval_status: 'auto_approved' })), 'approval_status'));
  assert.ok(mentions(errors('autopilot_session_v1', { ...blockedSession, execution_summary: { total_actions: -1 } }), 'minimum'));
  assert.ok(mentions(errors('autopilot_session_v1', { ...blockedSession, approval_requests: [{ action_id: 'a', reason: 'r' }] }), 'approval_status'));
  assert.ok(mentions(errors('autopilot_session_v1', { ...blockedSession, error_log: [{ error_type: 'E', error_message: 'm' }] }), 'timestamp'));
});

test('session: round trip keeps id and status', () => {
  const result = validateArtifact('autopilot_session_v1', JSON.parse(JSON.stringify(blockedSession)));
  assert.ok(result.ok);
  const value = (result as { value: typeof blockedSession }).value;
  assert.is(value.session_id, blockedSession.session_id);
  assert.is(value.status, 'blocked_approval_required');
});

// ---- PhaseProof ----
test('phase proof: bounds', () => {
  const proof = {
    proof_id: 'r-p',
    run_id: 'r',
    phase_id: 'p',
    created_at: NOW,
    completed_at: NOW,
    duration_seconds: 0,
    changes: { files_created: 0, files_modified: 1, files_deleted: 0, key_changes: ['a.txt'], change_summary: 'Modified 1 files: a.txt' },
    verification: { tests_passed: 0, tests_failed: 0, probes_executed: [], contracts_verified: [], verification_summary: 'ok' },
    success: true,
    error_summary: null,
    schema_version: '1.0',
    metrics_placeholder: false,
  };
  assert.equal(errors('phase_proof', proof), []);
  assert.ok(mentions(errors('phase_proof', { ...proof, changes: { ...proof.changes, key_changes: Array(11).fill('x') } }), 'key_changes'));
  assert.ok(mentions(errors('phase_proof', { ...proof, changes: { ...proof.changes, change_summary: 'x'.repeat(501) } }), 'change_summary'));
  assert.ok(mentions(errors('phase_proof', { ...proof, duration_seconds: -1 }), 'minimum'));
});

// ---- kinds ----
test('artifact kinds are recognised from content and names resolve', () => {
  assert.is(detectArtifactKind(fullAnchor), 'intention_anchor_v2');
  assert.is(detectArtifactKind(fullReport), 'gap_report_v1');
  assert.is(detectArtifactKind(fullPlan), 'plan_proposal_v1');
  assert.is(detectArtifactKind(blockedSession), 'autopilot_session_v1');
  assert.is(detectArtifactKind({}, 'repo/autopack.config.yaml'), 'config');
  assert.is(detectArtifactKind({ format_version: 'v1' }), undefined);
  assert.is(detectArtifactKind([1, 2]), undefined);
  assert.is(resolveArtifactName('GapReportV1'), 'gap_report_v1');
  assert.is(resolveArtifactName('gap-report'), 'gap_report_v1');
  assert.is(resolveArtifactName('config'), 'config');
  assert.is(resolveArtifactName('nope'), undefined);
});

test('non-objects are reported, not thrown on', () => {
  assert.equal(errors('gap_report_v1', [1]), ['$: Data must be an object, got array']);
  assert.equal(errors('gap_report_v1', null), ['$: Data must be an object, got null']);
});

test.run();
