// The governance module as tables: every step of the decision order, the reference
// classification table (adjusted: a repository write is never auto-approved), permissive
// anchors, and a corpus of hostile paths.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { IntentionAnchorV2 } from '../lib/contracts/anchor.ts';
import type { Effect } from '../lib/contracts/common.ts';
import { budgetCompliance, overBudget } from '../lib/governance/budget.ts';
import { compileRule, parseCondition } from '../lib/governance/conditions.ts';
import { decide, isProtectedPath, type GovernanceSubject } from '../lib/governance/decide.ts';
import { compilePathPattern, normalizeWorkspacePath, pathHazard, unquoteGitPath } from '../lib/governance/paths.ts';
import { compilePolicy } from '../lib/governance/policy.ts';

function anchor(pivots: Record<string, unknown> = {}): IntentionAnchorV2 {
  return { format_version: 'v2', project_id: 'p', created_at: '2026-01-01T00:00:00Z', raw_input_digest: '2cf24dba5fb0a30e', pivot_intentions: pivots } as IntentionAnchorV2;
}
const READ_ONLY = { id: 'rescan_gap', effects: ['read_only'] as Effect[] };
const RUN_LOCAL = { id: 'save_log', effects: ['run_local_write'] as Effect[] };
const REPO_WRITE = { id: 'mover', effects: ['repo_write'] as Effect[] };
const context = { runDirRel: '.autonomous_runs/p/runs/local' };

function subject(patch: Partial<GovernanceSubject> = {}): GovernanceSubject {
  return { action_id: 'a', action_type: 'verify', gap_types: ['doc_drift'], risk_score: 0.1, target_paths: [], handler: READ_ONLY, ...patch };
}
function classify(patch: Partial<GovernanceSubject>, pivots: Record<string, unknown> = {}) {
  const decision = decide(subject(patch), compilePolicy(anchor(pivots)), context);
  return [decision.status, decision.step, decision.reason] as const;
}

test('step 1: absolute, escaping and disguised target paths are blocked', () => {
  assert.equal(classify({ target_paths: ['/etc/passwd'] }), ['blocked', 1, 'Target path is absolute: /etc/passwd']);
  assert.equal(classify({ target_paths: ['docs/../../x'] }), ['blocked', 1, 'Target path escapes the workspace: docs/../../x']);
  assert.equal(classify({ target_paths: ['d\u043ecs/a.md'] })[0], 'blocked');
  // Blocked even when the anchor is as permissive as it gets.
  assert.equal(classify({ target_paths: ['C:\\Windows\\x'] }, { governance_review: { default_policy: 'allow', auto_approve_rules: [{ rule_id: 'all', description: '', conditions: ['action_type:verify'] }] } })[0], 'blocked');
});

test('step 2: high risk and never_allow are blocked, with the reference wording', () => {
  assert.equal(classify({ risk_score: 0.8 }), ['blocked', 2, 'High risk score: 0.8']);
  assert.equal(classify({ risk_score: 1 }), ['blocked', 2, 'High risk score: 1.0']);
  assert.equal(classify({ risk_score: 0.79 })[0], 'requires_approval');
  const never = { safety_risk: { never_allow: ['secrets/', 'git_operation', 'Direct SOT writes from executor'] } };
  assert.equal(classify({ target_paths: ['secrets/key.pem'] }, never), ['blocked', 2, "Target secrets/key.pem matches never_allow 'secrets/'"]);
  assert.equal(classify({ action_type: 'git_operation', handler: undefined, risk_score: 0.2 }, never), ['blocked', 2, 'Action type git_operation is in never_allow']);
});

test('step 3: over budget follows cost_escalation_policy', () => {
  const over = { over_budget: '600 tokens > token_cap_per_call 100' };
  assert.equal(classify(over, { budget_cost: { cost_escalation_policy: 'block' } })[0], 'blocked');
  assert.equal(classify(over, { budget_cost: { cost_escalation_policy: 'request_approval' } }).slice(0, 2), ['requires_approval', 3]);
  const warned = decide(subject(over), compilePolicy(anchor({ budget_cost: { cost_escalation_policy: 'warn' } })), context);
  assert.equal([warned.status, warned.risk_factors], ['auto_approved', ['Over budget: 600 tokens > token_cap_per_call 100']]);
  // No budget section: the default is request_approval.
  assert.equal(classify(over)[0], 'requires_approval');
});

test('step 4: nothing runs without a registered handler', () => {
  assert.equal(classify({ action_type: 'file_move', handler: undefined, risk_score: 0.2 }), ['requires_approval', 4, 'No autonomous executor for action_type file_move']);
});

test('step 5: a handler that may write the repository, git or the network needs a human', () => {
  assert.equal(classify({ handler: REPO_WRITE }), ['requires_approval', 5, 'Handler mover declares repo_write effects']);
  assert.equal(classify({ handler: { id: 'h', effects: ['read_only', 'network', 'git_write'] } })[2], 'Handler h declares git_write, network effects');
});

test('step 5: an action that by its nature writes the repository is never auto-approved, whatever its handler declares', () => {
  const permissive = { governance_review: { default_policy: 'allow', auto_approve_rules: [{ rule_id: 'moves', description: '', conditions: ['action_type:file_move'] }] } };
  for (const type of ['file_move', 'doc_update', 'config_update', 'test_fix', 'tidy_apply', 'file_delete', 'custom'] as const) {
    assert.equal(classify({ action_type: type, handler: { id: 'liar', effects: ['read_only'] } }, permissive), ['requires_approval', 5, `Action type ${type} writes the repository by its nature: never auto-approved`]);
  }
});

test('step 6: run-local writes must stay inside allowed roots and off protected paths', () => {
  assert.equal(classify({ handler: RUN_LOCAL })[0], 'auto_approved');
  assert.equal(classify({ handler: RUN_LOCAL }, { scope_boundaries: { allowed_write_roots: ['.autonomous_runs/'] } })[0], 'auto_approved');
  assert.equal(classify({ handler: RUN_LOCAL }, { scope_boundaries: { allowed_write_roots: ['build/out/'] } }).slice(0, 2), ['requires_approval', 6]);
  assert.equal(classify({ handler: RUN_LOCAL }, { scope_boundaries: { protected_paths: ['.autonomous_runs/'] } }).slice(0, 2), ['requires_approval', 6]);
  // A read-only action writes nothing, so write roots cannot stop it.
  assert.equal(classify({ handler: READ_ONLY }, { scope_boundaries: { allowed_write_roots: ['build/out/'] } })[0], 'auto_approved');
  assert.equal(classify({}, { safety_risk: { requires_approval: ['verify'] } }).slice(0, 2), ['requires_approval', 6]);
});

test('step 7: exact rules (never above 0.5 risk or with --execute) and low risk approve', () => {
  const rules = (conditions: string[]) => ({ governance_review: { auto_approve_rules: [{ rule_id: 'r1', description: 'd', conditions }] } });
  assert.equal(classify({ risk_score: 0.4 }, rules(['action_type:verify', 'gap_type:doc_drift'])), ['auto_approved', 7, 'Matches auto-approval rule r1']);
  assert.equal(classify({ risk_score: 0.4 }, rules(['action_type:verify', 'gap_type:root_clutter'])).slice(0, 2), ['requires_approval', 8]);
  assert.equal(classify({ risk_score: 0.5 }, rules(['action_type:verify'])).slice(0, 2), ['requires_approval', 8], 'rules never approve risk >= 0.5');
  assert.equal(classify({ risk_score: 0.4, command: 'tidy --execute' }, rules(['verify']))[0], 'requires_approval');
  assert.equal(classify({ risk_score: 0.4 }, rules(['verif']))[0], 'requires_approval', 'no substring matching');
  assert.equal(classify({ risk_score: 0.29 })[2], 'Low risk (0.29) with read_only effects only');
});

test('step 8: default-deny; default_policy allow approves only what passed steps 1–6', () => {
  assert.equal(classify({ risk_score: 0.5 }), ['requires_approval', 8, 'Default-deny policy']);
  const allow = { governance_review: { default_policy: 'allow' } };
  assert.equal(classify({ risk_score: 0.5 }, allow), ['auto_approved', 8, 'Default-allow policy (read_only effects only)']);
  assert.equal(classify({ risk_score: 0.2, action_type: 'file_move', handler: REPO_WRITE }, allow).slice(0, 2), ['requires_approval', 5]);
  assert.equal(classify({ risk_score: 0.2, action_type: 'file_move', handler: undefined }, allow).slice(0, 2), ['requires_approval', 4]);
});

test('a permissive anchor (allow, an empty rule, a rule for the type) still cannot auto-approve a repository write', () => {
  const permissive = {
    governance_review: {
      default_policy: 'allow',
      auto_approve_rules: [
        { rule_id: 'everything', description: 'matches everything in the Python tool', conditions: [] },
        { rule_id: 'moves', description: '', conditions: ['action_type:file_move'] },
      ],
    },
    scope_boundaries: { allowed_write_roots: ['.'], protected_paths: [''] },
  };
  for (const handler of [undefined, REPO_WRITE, { id: 'g', effects: ['git_write'] as Effect[] }]) {
    for (const risk_score of [0, 0.1, 0.2]) {
      const [status] = classify({ action_type: 'file_move', handler, risk_score, target_paths: ['NOTES.md'] }, permissive);
      assert.is(status, 'requires_approval', `${handler?.id ?? 'no handler'} at ${risk_score}`);
    }
  }
  assert.is(compileRule({ rule_id: 'e', conditions: [] }).matches({ action_type: 'file_move', gap_types: [], risk_score: 0, target_paths: [] }), false);
});

test('the reference classification table, with a default anchor (adjusted: repository writes need approval)', () => {
  const table: Array<[string, GovernanceSubject['action_type'], number, string[], string, string]> = [
    ['doc_drift', 'doc_update', 0.3, [], 'requires_approval', 'No autonomous executor for action_type doc_update'],
    ['root_clutter', 'file_move', 0.2, ['NOTES.md'], 'requires_approval', 'No autonomous executor for action_type file_move'],
    ['sot_duplicate', 'file_delete', 0.4, ['NOTES.md', 'docs/NOTES.md'], 'requires_approval', 'No autonomous executor for action_type file_delete'],
    ['test_infra_drift', 'test_fix', 0.5, [], 'requires_approval', 'No autonomous executor for action_type test_fix'],
    ['memory_budget_cap_issue', 'doc_update', 0.4, ['docs/big.md'], 'requires_approval', 'No autonomous executor for action_type doc_update'],
    ['windows_encoding_issue', 'custom', 0.6, ['bad.py'], 'requires_approval', 'No autonomous executor for action_type custom'],
    ['baseline_policy_drift', 'config_update', 0.5, ['config/baseline_policy.yaml'], 'requires_approval', 'No autonomous executor for action_type config_update'],
    ['protected_path_violation', 'doc_update', 0.8, ['docs/x.md'], 'blocked', 'High risk score: 0.8'],
    ['db_lock_contention', 'file_delete', 0.7, ['autopack.db-lock'], 'requires_approval', 'No autonomous executor for action_type file_delete'],
    ['git_state_corruption', 'git_operation', 0.9, ['.git/'], 'blocked', 'High risk score: 0.9'],
    ['unknown', 'custom', 1.0, [], 'blocked', 'High risk score: 1.0'],
  ];
  for (const [gapType, actionType, risk, paths, status, reason] of table) {
    const [gotStatus, , gotReason] = classify({ action_type: actionType, gap_types: [gapType], risk_score: risk, target_paths: paths, handler: undefined });
    assert.equal([gotStatus, gotReason], [status, reason], gapType);
  }
});

test('hostile paths: normalised, or refused, never silently trusted', () => {
  const corpus: Array<[string, string | 'absolute' | 'escapes' | 'empty']> = [
    ['/etc/passwd', 'absolute'],
    ['C:\\Windows\\system32', 'absolute'],
    ['c:relative', 'absolute'],
    ['\\\\server\\share\\x', 'absolute'],
    ['//server/share', 'absolute'],
    ['../secrets', 'escapes'],
    ['docs/../../x', 'escapes'],
    ['..', 'escapes'],
    ['', 'empty'],
    ['   ', 'empty'],
    ['./docs/a.md', 'docs/a.md'],
    ['docs\\a.md', 'docs/a.md'],
    ['docs//a.md', 'docs/a.md'],
    ['docs/./a.md/', 'docs/a.md'],
    ['src/../docs/a.md', 'docs/a.md'],
    ['"docs/sp ace.md"', 'docs/sp ace.md'],
    ['"docs/caf\\303\\251.md"', 'docs/café.md'],
    ['.', ''],
  ];
  for (const [input, expected] of corpus) {
    const normalized = normalizeWorkspacePath(input);
    if (normalized.ok) assert.is(normalized.path, expected, JSON.stringify(input));
    else assert.is(normalized.reason, expected, JSON.stringify(input));
  }
  assert.is(unquoteGitPath('"a\\"b\\\\c\\tz"'), 'a"b\\c\tz');
  assert.is(unquoteGitPath('plain'), 'plain');
});

test('hostile paths: hazards and protection', () => {
  for (const hazardous of ['d\u043ecs/a.md', 'docs/a\u202emd.txt', 'docs/zero\u200bwidth.md', 'docs/new\nline.md', 'p\u0430ypal/x']) {
    assert.ok(pathHazard(hazardous), JSON.stringify(hazardous));
  }
  for (const fine of ['docs/café.md', '日本語/ファイル.md', 'docs/Ωμέγα/x', 'src/main.rs']) assert.is(pathHazard(fine), undefined, fine);
  const policy = compilePolicy(anchor({ scope_boundaries: { protected_paths: ['src', '', 'infra/*.tf'] } }));
  const protectedCases: Array<[string, boolean]> = [
    ['./docs/a.md', true],
    ['docs\\a.md', true],
    ['"docs/sp ace.md"', true],
    ['\uff44\uff4f\uff43\uff53/a.md', true],
    ['docs', true],
    ['docsite/a.md', false],
    ['src/x.ts', true],
    ['srcfoo/x.ts', false],
    ['.env', true],
    ['.env.production', true],
    ['deep/dir/.env.local', true],
    ['infra/main.tf', true],
    ['infra/sub/main.tf', false], // a glob with a slash means what it says: * stays in one folder
    ['other/main.tf', false],
    ['NOTES.md', false],
    ['/etc/passwd', true],
    ['../x', true],
  ];
  for (const [path, expected] of protectedCases) assert.is(isProtectedPath(path, policy), expected, path);
  assert.is(compilePathPattern('').test('anything'), false, 'an empty protected path matches nothing');
  assert.is(compilePathPattern('   ').test('anything'), false);
  assert.is(compilePathPattern('.').test('anything/at/all'), true, '. is the whole workspace');
});

test('conditions are exact structured tokens', () => {
  const s = { action_type: 'verify', gap_types: ['doc_drift'], handler: 'rerun_check', effects: ['read_only'] as Effect[], risk_score: 0.1, target_paths: ['docs/a.md'] };
  const ok = (c: string) => {
    const parsed = parseCondition(c);
    return parsed.ok ? parsed.test(s) : `invalid: ${parsed.reason}`;
  };
  assert.is(ok('verify'), true);
  assert.is(ok('action_type:verify'), true);
  assert.is(ok('action_type:verif'), false);
  assert.is(ok('gap_type:doc_drift'), true);
  assert.is(ok('handler:rerun_check'), true);
  assert.is(ok('effects:read_only'), true);
  assert.is(ok('max_risk:0.1'), true);
  assert.is(ok('max_risk:0.05'), false);
  assert.is(ok('path:docs/**'), true);
  assert.is(ok('path:src/**'), false);
  assert.match(String(ok('no_writes')), /invalid: unrecognised condition 'no_writes'/);
  assert.match(String(ok('max_risk:high')), /invalid: max_risk must be a number/);
  assert.match(compileRule({ rule_id: 'r', conditions: ['verify', 'test_scope_only'] }).problem ?? '', /unrecognised condition 'test_scope_only'/);
});

test('budget: running totals, percent usage, never a throw', () => {
  const budget = compilePolicy(anchor({ budget_cost: { token_cap_global: 4000, token_cap_per_call: 100 } })).budget;
  assert.equal(budgetCompliance([{ tokens: 2000, time_seconds: 0 }], budget), { within_global_cap: true, within_per_call_cap: false, estimated_usage_pct: 50 });
  assert.equal(budgetCompliance([{ tokens: 9000, time_seconds: 0 }], budget), { within_global_cap: false, within_per_call_cap: false, estimated_usage_pct: 100 });
  assert.equal(overBudget([{ tokens: 50, time_seconds: 1 }, { tokens: 3000, time_seconds: 1 }, { tokens: 2000, time_seconds: 1 }, { tokens: 0, time_seconds: 1 }], budget), [
    undefined,
    '3000 tokens > token_cap_per_call 100',
    '2000 tokens > token_cap_per_call 100, running total 5050 tokens > token_cap_global 4000',
    undefined,
  ]);
  const time = compilePolicy(anchor({ budget_cost: { time_cap_seconds: 10 } })).budget;
  assert.equal(overBudget([{ tokens: 0, time_seconds: 8 }, { tokens: 0, time_seconds: 5 }], time), [undefined, 'running total 13s > time_cap_seconds 10']);
  assert.equal(budgetCompliance([], compilePolicy(undefined).budget), { within_global_cap: true, within_per_call_cap: true });
});

test('policy: prose entries are recorded as unenforced, paths and action types are enforced', () => {
  const policy = compilePolicy(anchor({ safety_risk: { never_allow: ['Direct SOT writes from executor', 'db/*.sqlite', 'git_operation'], requires_approval: ['Schema changes', 'migrations/'] } }));
  assert.equal(policy.unenforced, ['safety_risk.never_allow: Direct SOT writes from executor', 'safety_risk.requires_approval: Schema changes']);
  assert.is(policy.neverAllowTypes.has('git_operation'), true);
  assert.is(isProtectedPath('migrations/001.sql', policy), true);
  assert.is(isProtectedPath('db/app.sqlite', policy), true);
});

test.run();
