// Intention anchors: creation, completeness questions, warnings, the search order, and the
// `anchor init` / `anchor validate` commands.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse as parseYaml } from 'yaml';
import { anchorWarnings, pivotCompleteness, PIVOT_QUESTIONS } from '../lib/anchor/completeness.ts';
import { anchorId, createAnchor } from '../lib/anchor/create-anchor.ts';
import { loadAnchor } from '../lib/anchor/load-anchor.ts';
import { validateArtifact } from '../lib/contracts/artifacts.ts';
import type { IntentionAnchorV2 } from '../lib/contracts/anchor.ts';
import { AutopackError } from '../lib/util/errors.ts';
import { runBin } from './helpers/cli.ts';
import { makeRepo, tempDir, testEnv } from './helpers/git-fixture.ts';

const now = new Date('2026-01-06T12:00:00Z');

test('createAnchor: the reference digest, a valid default-deny anchor', () => {
  const anchor = createAnchor({ projectId: 'p', input: 'hello', now });
  assert.is(anchor.raw_input_digest, '2cf24dba5fb0a30e');
  assert.is(anchorId(anchor), 'anchor-2cf24dba5fb0a30e');
  assert.is(anchor.updated_at, undefined);
  assert.ok(validateArtifact('intention_anchor_v2', anchor).ok);
  assert.is(anchor.pivot_intentions.governance_review!.default_policy, 'deny');
  assert.equal(anchor.pivot_intentions.governance_review!.auto_approve_rules, []);
  assert.equal(anchor.pivot_intentions.parallelism_isolation, { allowed: false, isolation_model: 'none', max_concurrent_runs: 1 });
  assert.is(createAnchor({ projectId: 'p', now }).raw_input_digest, 'e3b0c44298fc1c14');
});

test('completeness: the eight questions in order; a present empty section counts as answered', () => {
  const empty = { ...createAnchor({ projectId: 'p', now }), pivot_intentions: {} } as IntentionAnchorV2;
  assert.equal(pivotCompleteness(empty).map((m) => m.question), PIVOT_QUESTIONS.map(([, q]) => q));
  assert.is(pivotCompleteness(empty)[0]!.question, 'What are the desired outcomes and success signals for this project?');
  const withNorthStar = { ...empty, pivot_intentions: { north_star: { desired_outcomes: [], success_signals: [], non_goals: [] } } } as IntentionAnchorV2;
  assert.is(pivotCompleteness(withNorthStar).length, 7);
  assert.equal(pivotCompleteness(createAnchor({ projectId: 'p', now })).map((m) => m.section), ['north_star', 'evidence_verification', 'memory_continuity']);
});

test('warnings: rules that match nothing, empty protected paths, prose that is not enforced', () => {
  const anchor = createAnchor({ projectId: 'p', now });
  anchor.pivot_intentions.governance_review!.auto_approve_rules = [
    { rule_id: 'empty', description: '', conditions: [] },
    { rule_id: 'vague', description: '', conditions: ['no_writes'] },
    { rule_id: 'fine', description: '', conditions: ['action_type:verify'] },
  ];
  anchor.pivot_intentions.scope_boundaries!.protected_paths = [''];
  anchor.pivot_intentions.safety_risk!.never_allow = ['Direct SOT writes from executor'];
  const lines = anchorWarnings(anchor).map((w) => `${w.path}: ${w.message}`);
  assert.equal(lines, [
    '$.pivot_intentions.governance_review.auto_approve_rules[0]: rule empty has no conditions, so it matches nothing',
    "$.pivot_intentions.governance_review.auto_approve_rules[1]: rule vague unrecognised condition 'no_writes' (use action_type:…, gap_type:…, handler:…, effects:…, max_risk:…, path:…): the rule matches nothing",
    '$.pivot_intentions.scope_boundaries.protected_paths[0]: an empty protected path protects nothing',
    "$.pivot_intentions.safety_risk.never_allow: 'Direct SOT writes from executor' is neither a path nor an action type, so it is recorded but not enforced",
  ]);
});

test('search order: --anchor-path, then intention/intention_anchor_v2.json, then intention_v2.json', async () => {
  const runDir = tempDir();
  const write = (path: string, projectId: string) => {
    mkdirSync(join(runDir, path, '..'), { recursive: true });
    writeFileSync(join(runDir, path), JSON.stringify(createAnchor({ projectId, now })));
  };
  let error: unknown;
  try {
    await loadAnchor({ runDir, cwd: runDir });
  } catch (caught) {
    error = caught;
  }
  assert.ok(error instanceof AutopackError);
  const lines = [(error as AutopackError).message, ...(error as AutopackError).extraLines, `hint: ${(error as AutopackError).hint}`];
  assert.ok(lines.length <= 5);
  assert.equal(lines, [
    'No intention anchor found; refusing to guess what is allowed.',
    '  tried: intention/intention_anchor_v2.json',
    '  tried: intention_v2.json',
    'hint: create one with `autopack anchor init --write` (same --run-id), or pass --anchor-path FILE',
  ]);
  write('intention_v2.json', 'legacy');
  assert.is((await loadAnchor({ runDir, cwd: runDir })).anchor.project_id, 'legacy');
  write('intention/intention_anchor_v2.json', 'current');
  assert.is((await loadAnchor({ runDir, cwd: runDir })).anchor.project_id, 'current');
  const explicit = join(tempDir(), 'a.yaml');
  writeFileSync(explicit, 'format_version: v2\nproject_id: yaml\ncreated_at: "2026-01-01T00:00:00Z"\nraw_input_digest: 2cf24dba5fb0a30e\npivot_intentions: {}\n');
  assert.is((await loadAnchor({ anchorPath: explicit, runDir, cwd: runDir })).anchor.project_id, 'yaml');
});

test('anchor init: prints a valid anchor; --write and --out write it, never over an existing one', async () => {
  const repo = makeRepo({ files: { 'README.md': 'r\n' } });
  const printed = await runBin(['anchor', 'init', '--project-id', 'shop', '--input', 'hello'], { cwd: repo.dir, env: testEnv({ SOURCE_DATE_EPOCH: '1767225600' }) });
  assert.is(printed.code, 0, printed.stderr);
  const anchor = JSON.parse(printed.stdout);
  assert.equal([anchor.project_id, anchor.raw_input_digest, anchor.created_at], ['shop', '2cf24dba5fb0a30e', '2026-01-01T00:00:00.000Z']);
  assert.not.ok(existsSync(join(repo.dir, '.autonomous_runs')), 'printing writes nothing');

  const written = await runBin(['anchor', 'init', '--write', '--project-id', 'shop'], { cwd: repo.dir });
  assert.is(written.code, 0, written.stderr);
  const path = join(repo.dir, '.autonomous_runs/shop/runs/local/intention/intention_anchor_v2.json');
  assert.ok(validateArtifact('intention_anchor_v2', JSON.parse(readFileSync(path, 'utf8'))).ok);
  assert.is(repo.git('status', '--porcelain'), '');
  const again = await runBin(['anchor', 'init', '--write', '--project-id', 'shop'], { cwd: repo.dir });
  assert.is(again.code, 2);
  assert.match(again.stderr, /intention_anchor_v2\.json already exists\nhint: pass --force to replace it/);
  assert.is((await runBin(['anchor', 'init', '--write', '--project-id', 'shop', '--force'], { cwd: repo.dir })).code, 0);

  const yaml = await runBin(['anchor', 'init', '--out', 'anchor.yaml', '--format', 'yaml'], { cwd: repo.dir });
  assert.is(yaml.code, 0);
  assert.is(parseYaml(readFileSync(join(repo.dir, 'anchor.yaml'), 'utf8')).format_version, 'v2');
  assert.is(parseYaml(yaml.stdout).format_version, 'v2');
  assert.is((await runBin(['anchor', 'init', '--out', 'x.json', '--write'], { cwd: repo.dir })).code, 2);
});

test('anchor validate: 0 with the missing sections, 2 with every error as path: message', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'ok.json'), JSON.stringify(createAnchor({ projectId: 'p', now })));
  const ok = await runBin(['anchor', 'validate', 'ok.json'], { cwd: dir });
  assert.is(ok.code, 0);
  assert.equal(ok.stdout.trim().split('\n'), [
    'missing north_star: What are the desired outcomes and success signals for this project?',
    'missing evidence_verification: What checks must pass (hard blocks) and what proof artifacts are required?',
    'missing memory_continuity: What should persist to SOT ledgers and what are the retention rules?',
  ]);
  assert.match(ok.stderr, /ok\.json is a valid IntentionAnchorV2 \(3 of 8 sections missing\)/);
  writeFileSync(join(dir, 'bad.yaml'), 'format_version: v1\nproject_id: p\ncreated_at: yesterday\nraw_input_digest: nothex\npivot_intentions:\n  budget_cost: { token_cap_global: -1 }\n');
  const bad = await runBin(['anchor', 'validate', 'bad.yaml'], { cwd: dir });
  assert.is(bad.code, 2);
  assert.equal(bad.stdout.trim().split('\n'), [
    "$.format_version: Expected constant value 'v2', got 'v1'",
    "$.created_at: Invalid ISO 8601 date-time format: 'yesterday' (needs a date, a time and a timezone)",
    "$.raw_input_digest: Value 'nothex' does not match pattern '^[a-f0-9]{16,64}$'",
    '$.pivot_intentions.budget_cost.token_cap_global: Value below minimum 0',
  ]);
  const json = JSON.parse((await runBin(['anchor', 'validate', 'ok.json', '--format', 'json'], { cwd: dir })).stdout);
  assert.equal([json.valid, json.errors, json.missing_sections.length], [true, [], 3]);
});

test.run();
