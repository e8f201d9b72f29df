// `--compat python`: real scans, plans and sessions of a repository with varied gaps (a doc
// check's command evidence, production DEBUG, a plugin gap type, cut evidence lists, verify
// actions, a budget) are accepted by the Python tool's models, written down independently in
// tests/helpers/python-models.ts (and, when pydantic is installed, by pydantic itself), while
// the plain autopack artifacts are rejected by the same models: the checker can fail.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { percentToFraction } from '../lib/compat/python.ts';
import { toJsonText } from '../lib/fs/atomic-write.ts';
import { scanGaps } from '../lib/gaps/scan-gaps.ts';
import { planWorkspace } from '../lib/planning/plan-workspace.ts';
import { fixedClock } from '../lib/util/clock.ts';
import { REPO_ROOT, runInProcess } from './helpers/cli.ts';
import { makeRepo, tempDir, testEnv, type FileTree } from './helpers/git-fixture.ts';
import { PY_MODELS, PyGapReportV1, PyPlanProposalV1, pythonModelProblems, type PyModel } from './helpers/python-models.ts';

const ENV = testEnv({ SOURCE_DATE_EPOCH: '1767225600' });
const PYDANTIC_SCRIPT = join(REPO_ROOT, 'tests/helpers/python-models.py');

const LICENSE_PLUGIN = `export default {
  id: 'license_missing', gap_type: 'license_missing', title: 'License', description: 'A LICENSE file is missing', scope: 'files',
  default: { risk: 'medium', blocks_autopilot: false },
  messages: { missing: { title: 'No LICENSE file', description: 'The repository has no LICENSE', signals: ['LICENSE not found'], remediation: 'Add a LICENSE' } },
  async detect(ctx) { return (await ctx.files()).includes('LICENSE') ? [] : [{ inputs: ['LICENSE'], evidence: { file_paths: ['LICENSE'] } }]; },
};
`;

/** Twelve failed tests in pytest's cache and twelve notes in the root: both evidence lists are cut to 10. */
function clutter(): FileTree {
  const files: FileTree = {};
  for (let i = 0; i < 12; i++) files[`NOTE_${String(i).padStart(2, '0')}.md`] = `${i}\n`;
  files['.pytest_cache/v/cache/lastfailed'] = JSON.stringify(Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`tests/test_x.py::t${i}`, true])));
  return files;
}

function varied() {
  return makeRepo({
    name: 'compat-demo',
    files: {
      'README.md': '# Demo\n',
      'docs/guide.md': 'Guide\n',
      'scripts/check_docs_drift.py': 'import sys\nprint("docs/index.md links to a missing page")\nsys.exit(1)\n',
      '.env.production': 'DEBUG=true\n',
      'autopack.config.yaml': 'plugins: [./license.mjs]\n',
      'license.mjs': LICENSE_PLUGIN,
    },
    worktree: { 'docs/guide.md': 'Guide, edited\n', ...clutter() },
  });
}

/** An anchor with a global token cap (so the plan has a usage figure), outside the repository. */
function anchorFile(tokenCap: number): string {
  const path = join(tempDir(), 'anchor.json');
  writeFileSync(
    path,
    JSON.stringify({
      format_version: 'v2',
      project_id: 'compat-demo',
      created_at: '2026-01-01T00:00:00Z',
      raw_input_digest: '2cf24dba5fb0a30e',
      pivot_intentions: { budget_cost: { token_cap_global: tokenCap, cost_escalation_policy: 'warn' } },
    }),
  );
  return path;
}

async function cli(args: string[], cwd: string) {
  const result = await runInProcess(args, { cwd, env: ENV });
  assert.ok(result.code === 0 || result.code === 1, `${args.join(' ')}: exit ${result.code}\n${result.stderr}`);
  return result;
}

const runDir = (dir: string) => join(dir, '.autonomous_runs/compat-demo/runs/local');
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

function accepted(model: PyModel, value: unknown, what: string): void {
  assert.equal(pythonModelProblems(model, value), [], `${what}: the Python ${model.name} model accepts it`);
}

/** The problems of a document the Python model must reject: asserted non-empty, returned joined for matching. */
function rejected(model: PyModel, value: unknown, what: string): string {
  const problems = pythonModelProblems(model, value);
  assert.ok(problems.length > 0, `${what}: the Python ${model.name} model rejects it`);
  return problems.join('\n');
}

type Json = Record<string, any>;

test('the checker fails on each kind of difference: extra field, missing default, order, enum, bound', () => {
  const minimal = { format_version: 'v1', project_id: 'p', run_id: 'r', generated_at: '2026-01-06T12:00:00Z', gaps: [] };
  accepted(PyGapReportV1, minimal, 'the minimal report');
  const gap = { gap_id: 'g', gap_type: 'doc_drift', detection_signals: [], risk_classification: 'medium', blocks_autopilot: false };
  accepted(PyGapReportV1, { ...minimal, gaps: [gap] }, 'a gap without evidence');
  const cases: Array<[unknown, RegExp]> = [
    [{ ...minimal, report_id: 'gap-report-0123456789ab' }, /\$\.report_id: extra field/],
    [{ ...minimal, gaps: [{ ...gap, evidence: { file_paths: [], excerpts: [] } }] }, /test_names: missing, though/],
    [{ run_id: 'r', format_version: 'v1', project_id: 'p', generated_at: '2026-01-06T12:00:00Z', gaps: [] }, /out of GapReportV1's order/],
    [{ ...minimal, gaps: [{ ...gap, gap_type: 'production_config_debug' }] }, /gap_type: not one of/],
    [{ ...minimal, workspace_state_digest: 'xyz' }, /does not match/],
    [{ ...minimal, generated_at: '2026-01-06' }, /date-time/],
  ];
  for (const [doc, problem] of cases) assert.match(rejected(PyGapReportV1, doc, String(problem)), problem);
  const plan = { format_version: 'v1', project_id: 'p', run_id: 'r', generated_at: '2026-01-06T12:00:00Z', anchor_id: 'anchor-1', gap_report_id: 'gap-report-1', actions: [] };
  accepted(PyPlanProposalV1, plan, 'the minimal plan');
  const over = { ...plan, governance_checks: { default_deny_applied: true, never_auto_approve_violations: [], protected_path_checks: [], budget_compliance: { within_global_cap: true, within_per_call_cap: true, estimated_usage_pct: 0.9 * 100 } } };
  assert.match(rejected(PyPlanProposalV1, over, 'a percent'), /estimated_usage_pct: above the maximum 1/);
});

test('gaps scan --compat python: the Python model accepts what is printed and written; the plain report it rejects', async () => {
  const repo = varied();
  const compat = await cli(['gaps', 'scan', '--compat', 'python', '--write', '--fail-on', 'never'], repo.dir);
  const report: Json = JSON.parse(compat.stdout);
  accepted(PyGapReportV1, report, 'the printed report');
  assert.equal(readJson(join(runDir(repo.dir), 'gaps/gap_report_v1.json')), report, 'the written report is the printed one');

  const plain = await cli(['gaps', 'scan', '--fail-on', 'never'], repo.dir);
  const original: Json = JSON.parse(plain.stdout);
  const problems = rejected(PyGapReportV1, original, 'the plain report');
  for (const needle of [/\$\.report_id: extra field/, /gap_type: not one of/, /file_paths_total: extra field/, /command_evidence\.argv: extra field/, /locations: extra field/, /\.detector: extra field/]) {
    assert.match(problems, needle);
  }
  assert.is(plain.stderr.includes('--compat'), false, 'no compat warning without the option');

  // The same gaps, in the same order, with the same ids; the types the Python enum lacks become unknown.
  assert.equal(report.gaps.map((gap: Json) => gap.gap_id), original.gaps.map((gap: Json) => gap.gap_id));
  const byType = (type: string) => report.gaps[original.gaps.findIndex((gap: Json) => gap.gap_type === type)];
  for (const type of ['production_config_debug', 'license_missing']) {
    const gap = byType(type);
    assert.is(gap.gap_type, 'unknown', type);
    assert.is(gap.detection_signals.at(-1), `autopack gap_type: ${type}`);
    assert.match(compat.stderr, new RegExp(`gap_type ${type} is not a Python gap type; written as unknown`));
  }
  assert.is(byType('doc_drift').gap_type, 'doc_drift');
  assert.equal(Object.keys(byType('doc_drift').evidence.command_evidence), ['command', 'exit_code', 'stdout_hash', 'stderr_excerpt']);
  assert.is(byType('doc_drift').evidence.command_evidence.stdout_hash, original.gaps.find((gap: Json) => gap.gap_type === 'doc_drift').evidence.command_evidence.stdout_hash);
  assert.is(byType('root_clutter').evidence.file_paths.length, 10);
  assert.is(byType('test_infra_drift').evidence.test_names.length, 10);
  assert.match(compat.stderr, /file_paths shows 10 of 12; file_paths_total dropped/);
  assert.match(compat.stderr, /test_names shows 10 of 12; test_names_total dropped/);
  assert.match(compat.stderr, /command_evidence argv, .*stdout_excerpt.* dropped/);
  assert.match(compat.stderr, /evidence location\(s\) \(file:line\) dropped/);
  assert.equal(report.summary, original.summary);
  assert.equal(Object.keys(report.metadata), ['scanner_version', 'scan_duration_ms']);
  assert.is(report.workspace_state_digest, original.workspace_state_digest);

  // Only the JSON is the compat form: the text rendering is autopack's either way.
  const text = (await cli(['gaps', 'scan', '--format', 'text', '--fail-on', 'never'], repo.dir)).stdout;
  assert.is((await cli(['gaps', 'scan', '--format', 'text', '--compat', 'python', '--fail-on', 'never'], repo.dir)).stdout, text);
  assert.is((await runInProcess(['gaps', 'scan', '--compat', 'pydantic'], { cwd: repo.dir, env: ENV })).code, 2, 'an unknown tool is a usage error');
});

test('plan propose --compat python: verify actions as custom, the Python gap_report_id, a fraction; the plain plan rejected', async () => {
  const repo = varied();
  const anchor = anchorFile(100000);
  await cli(['gaps', 'scan', '--write', '--fail-on', 'never'], repo.dir);
  const report: Json = readJson(join(runDir(repo.dir), 'gaps/gap_report_v1.json'));
  const compat = await cli(['plan', 'propose', '--anchor-path', anchor, '--compat', 'python', '--write'], repo.dir);
  const plan: Json = JSON.parse(compat.stdout);
  accepted(PyPlanProposalV1, plan, 'the printed plan');
  assert.equal(readJson(join(runDir(repo.dir), 'plans/plan_proposal_v1.json')), plan);

  const original: Json = JSON.parse((await cli(['plan', 'propose', '--anchor-path', anchor], repo.dir)).stdout);
  const problems = rejected(PyPlanProposalV1, original, 'the plain plan');
  for (const needle of [/\$\.proposal_id: extra field/, /\$\.autopilot_blocked: extra field/, /action_type: not one of/, /\.handler: extra field/, /\.effects: extra field/, /governance_checks\.notes: extra field/]) {
    assert.match(problems, needle);
  }

  assert.is(plan.gap_report_id, `gap-report-${report.workspace_state_digest.slice(0, 12)}`);
  assert.is.not(plan.gap_report_id, original.gap_report_id);
  assert.is(plan.anchor_id, original.anchor_id);
  // Every action kept, same id and decision; verify ones written as custom and marked.
  assert.equal(plan.actions.map((a: Json) => [a.action_id, a.approval_status]), original.actions.map((a: Json) => [a.action_id, a.approval_status]));
  const verify = original.actions.filter((a: Json) => a.action_type === 'verify');
  assert.ok(verify.length >= 3, 'the fixture has verify actions');
  for (const action of verify) {
    const written = plan.actions.find((a: Json) => a.action_id === action.action_id);
    assert.is(written.action_type, 'custom');
    assert.is(written.description, `${action.description} (autopack action_type: verify)`);
  }
  assert.match(compat.stderr, new RegExp(`${verify.length} verify action\\(s\\) written as action_type custom`));
  assert.equal(plan.summary, original.summary);
  const pct = original.governance_checks.budget_compliance.estimated_usage_pct;
  assert.ok(pct > 0);
  assert.is(plan.governance_checks.budget_compliance.estimated_usage_pct, percentToFraction(pct));
  assert.ok(Math.abs(plan.governance_checks.budget_compliance.estimated_usage_pct - pct / 100) < 1e-12);
  assert.match(compat.stderr, /governance_checks\.notes dropped: .*the report shows 10/);

  // autopack reads its own compat report back and plans from it.
  assert.is((await runInProcess(['plan', 'propose', '--anchor-path', anchor, '--gap-report-path', join(runDir(repo.dir), 'gaps/gap_report_v1.json')], { cwd: repo.dir, env: ENV })).code, 0);
});

test('percent to fraction: exact for two decimals; an over-budget plan is a fraction of 1 the Python model accepts', async () => {
  assert.equal([0.9, 100, 33.33, 0, 1.5].map(percentToFraction), [0.009, 1, 0.3333, 0, 0.015]);
  const repo = varied();
  await scanGaps({ workspace: repo.dir, cwd: repo.dir, env: ENV, write: true });
  const result = await planWorkspace({ workspace: repo.dir, cwd: repo.dir, env: ENV, anchorPath: anchorFile(10), compat: 'python', clock: fixedClock(new Date('2026-01-01T00:00:00Z')) });
  const budget = result.compat!.plan.governance_checks!.budget_compliance!;
  assert.equal([budget.within_global_cap, budget.estimated_usage_pct], [false, 1]);
  accepted(PyPlanProposalV1, result.compat!.plan, 'the over-budget plan');
});

test('library: without compat nothing changes (no compat result, the written report is the report)', async () => {
  const repo = varied();
  const clock = fixedClock(new Date('2026-01-01T00:00:00Z'));
  const result = await scanGaps({ workspace: repo.dir, cwd: repo.dir, env: ENV, write: true, clock });
  assert.is('compat' in result, false);
  assert.is(readFileSync(result.artifactPath!, 'utf8'), toJsonText(result.report));
  const compat = await scanGaps({ workspace: repo.dir, cwd: repo.dir, env: ENV, compat: 'python', clock });
  assert.equal(compat.report, result.report, 'the autopack report is returned as ever');
  accepted(PyGapReportV1, compat.compat!.report, 'the library compat report');
});

/** The four artifacts of the run directory: report, plan, session, proof. */
function fourArtifacts(dir: string): Record<keyof typeof PY_MODELS, string> {
  const proofs = readdirSync(join(runDir(dir), 'proofs')).filter((name) => name.endsWith('.json'));
  assert.is(proofs.length, 1);
  return {
    gap_report_v1: join(runDir(dir), 'gaps/gap_report_v1.json'),
    plan_proposal_v1: join(runDir(dir), 'plans/plan_proposal_v1.json'),
    autopilot_session_v1: join(runDir(dir), 'autonomy/autopilot_session_v1.json'),
    phase_proof: join(runDir(dir), 'proofs', proofs[0]!),
  };
}

const pydanticAvailable = spawnSync('python3', ['-c', 'import pydantic'], { stdio: 'ignore' }).status === 0;

/** The pydantic script's verdict on each file (it exits 1 when any fails). */
function pydanticVerdicts(files: Record<string, string>): Array<{ kind: string; ok: boolean; problems: string[] }> {
  const args = Object.entries(files).flatMap(([kind, path]) => [kind, path]);
  let output: string;
  try {
    output = execFileSync('python3', [PYDANTIC_SCRIPT, ...args], { encoding: 'utf8' });
  } catch (error) {
    output = String((error as { stdout?: string }).stdout ?? '');
  }
  return output.trim().split('\n').map((line) => JSON.parse(line));
}

test('autopilot run --compat python: four artifacts the Python models accept, ids linked as a Python reader sees them; plain ones rejected', async () => {
  const repo = varied();
  const anchor = anchorFile(100000);
  const run = await cli(['autopilot', 'run', '--enable', '--write', '--anchor-path', anchor, '--compat', 'python'], repo.dir);
  const session: Json = JSON.parse(run.stdout);
  const files = fourArtifacts(repo.dir);
  const report: Json = readJson(files.gap_report_v1);
  const plan: Json = readJson(files.plan_proposal_v1);
  const written: Json = readJson(files.autopilot_session_v1);
  const proof: Json = readJson(files.phase_proof);
  assert.equal(written, session, 'the written session is the printed one');
  for (const [kind, path] of Object.entries(files)) accepted(PY_MODELS[kind as keyof typeof PY_MODELS], readJson(path), kind);

  // Linked: session → plan → report, with the Python reader's formulas.
  assert.is(plan.gap_report_id, `gap-report-${report.workspace_state_digest.slice(0, 12)}`);
  assert.equal([session.anchor_id, session.gap_report_id], [plan.anchor_id, plan.gap_report_id]);
  const planId = `plan-${createHash('sha256')
    .update([plan.anchor_id, plan.gap_report_id, ...plan.actions.map((a: Json) => `${a.action_id}:${a.approval_status}`)].join('|'))
    .digest('hex')
    .slice(0, 12)}`;
  assert.is(session.plan_proposal_id, planId);
  const ids = new Set(plan.actions.map((a: Json) => a.action_id));
  assert.ok(session.executed_action_ids.length > 0, 'verifications ran');
  for (const id of [...session.executed_action_ids, ...session.approval_requests.map((r: Json) => r.action_id)]) assert.ok(ids.has(id), `${id} is in the compat plan`);
  for (const id of session.executed_action_ids) assert.is(plan.actions.find((a: Json) => a.action_id === id).action_type, 'custom');
  assert.equal([proof.phase_id, proof.proof_id], [session.session_id, `local-${session.session_id}`]);
  assert.match(run.stderr, /action_results dropped: \d+ per-action result\(s\)/);
  assert.is(run.stdout.includes('[warn]'), false, 'warnings go to stderr only');

  if (pydanticAvailable) {
    const verdicts = pydanticVerdicts(files);
    assert.equal(verdicts.map((v) => [v.kind, v.ok, v.problems]), Object.keys(files).map((kind) => [kind, true, []]), 'pydantic loads all four and dumps them back unchanged');
  }

  // The same run without --compat: every one of the four is rejected (by the checker, and by pydantic).
  await cli(['autopilot', 'run', '--enable', '--write', '--anchor-path', anchor], repo.dir);
  const plainFiles = fourArtifacts(repo.dir);
  const plain = Object.fromEntries(Object.entries(plainFiles).map(([kind, path]) => [kind, readJson(path)])) as Record<keyof typeof PY_MODELS, Json>;
  assert.match(rejected(PY_MODELS.autopilot_session_v1, plain.autopilot_session_v1, 'the plain session'), /\$\.action_results: extra field/);
  assert.match(rejected(PY_MODELS.phase_proof, plain.phase_proof, 'the plain proof'), /\$\.project_id: extra field/);
  rejected(PY_MODELS.gap_report_v1, plain.gap_report_v1, 'the plain report');
  rejected(PY_MODELS.plan_proposal_v1, plain.plan_proposal_v1, 'the plain plan');
  if (pydanticAvailable) {
    for (const verdict of pydanticVerdicts(plainFiles)) {
      assert.is(verdict.ok, false, `pydantic rejects the plain ${verdict.kind}`);
      assert.ok(verdict.problems.some((problem) => problem.includes('Extra inputs are not permitted')), verdict.kind);
    }
  } else {
    console.log('note: python3 with pydantic is not installed; the pydantic check of the compat artifacts was skipped');
  }
});

test.run();
