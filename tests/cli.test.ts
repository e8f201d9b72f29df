// The real CLI as a child process: stdout is only the result, exit codes, nothing written
// without --write, exactly one file with it, byte-identical output under SOURCE_DATE_EPOCH.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BIN, runBin } from './helpers/cli.ts';
import { makeRepo, snapshotTree, tempDir, testEnv } from './helpers/git-fixture.ts';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? listFiles(dir, rel) : [rel];
  });
}

test('--version prints the version and nothing else; --help lists the commands', async () => {
  const version = await runBin(['--version']);
  assert.equal([version.code, version.stdout, version.stderr], [0, `${pkg.version}\n`, '']);
  const help = await runBin(['--help']);
  assert.is(help.code, 0);
  for (const command of ['gaps scan', 'plan propose', 'autopilot run', 'autopilot supervise', 'gc', 'detectors list', 'actions list', 'schema', 'validate']) {
    assert.ok(help.stdout.includes(command), command);
  }
  const commandHelp = await runBin(['gaps', 'scan', '--help']);
  assert.is(commandHelp.code, 0);
  assert.match(commandHelp.stdout, /\$ autopack gaps scan \[\.\.\.paths\]\n/);
  assert.ok(commandHelp.stdout.includes('--fail-on <level>'));
  assert.not.ok(commandHelp.stdout.includes('Commands:'), 'only the help of the command');
});

test('usage errors exit 2 with one message on stderr', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['frobnicate'], /Unknown command 'frobnicate'/],
    [['gaps'], /'gaps' needs a subcommand: gaps scan/],
    [['gaps', 'scan', '--wirte'], /Unknown option `--wirte`/],
    [['gaps', 'scan', '--format', 'xml'], /--format xml: expected one of json, github, jsonl, sarif, text/],
    [['gaps', 'scan', '--fail-on', 'sometimes'], /--fail-on sometimes: expected one of blocker, critical, high, medium, low, never/],
    [['gaps', 'scna'], /Unknown command 'gaps scna'\nhint: did you mean `gaps scan`\?/],
    [['gaps', 'scan', '--wirte'], /hint: did you mean `--write`\?/],
    [['autopilot', 'supervise', '--workers', 'abc'], /--workers abc: expected a whole number ≥ 1/],
    [['gaps', 'scan', '--only', 'a,,b'], /--only a,,b: has an empty item/],
    [['gaps', 'scan', '--run-id', '../escape'], /Invalid run_id '\.\.\/escape'/],
    [['gaps', 'scan', '--only', 'root_clutter,nope'], /Unknown detector in --only: nope/],
    [['gaps', 'scan', '--workspace', '/definitely/not/here'], /Workspace does not exist: \/definitely\/not\/here/],
    [['gaps', 'scan', '--workspace', BIN], /Workspace is not a directory/],
  ];
  const repo = makeRepo({ files: { 'a.txt': 'a\n' } });
  for (const [args, pattern] of cases) {
    const result = await runBin(args, { cwd: repo.dir });
    assert.is(result.code, 2, args.join(' '));
    assert.is(result.stdout, '', `${args.join(' ')}: nothing on stdout`);
    assert.match(result.stderr, pattern);
    assert.ok(result.stderr.trim().split('\n').length <= 4, `${args.join(' ')}: a few lines at most`);
    assert.not.match(result.stderr, /\n\s+at /);
  }
  assert.not.ok(existsSync(join(repo.dir, '.autonomous_runs')));
});

test('gaps scan: stdout is exactly one JSON report; the summary line goes to stderr', async () => {
  const repo = makeRepo({ files: { 'README.md': 'r\n', 'config/baseline_policy.yaml': 'version: 1\n' } });
  const result = await runBin(['gaps', 'scan'], { cwd: repo.dir });
  assert.is(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  assert.is(report.format_version, 'v1');
  assert.is(report.project_id, repo.dir.split('/').pop()!.replace(/[^A-Za-z0-9._-]+/g, '-'));
  assert.is(report.run_id, 'local');
  assert.equal(report.gaps, []);
  assert.match(result.stderr, /Found 0 gaps \(0 blockers\)/);
});

test('exit codes follow --fail-on: blockers by default, never, a severity', async () => {
  const blocked = makeRepo({ files: { 'docs/a.md': 'a\n', 'config/baseline_policy.yaml': 'v: 1\n' }, worktree: { 'docs/a.md': 'changed\n' } });
  assert.is((await runBin(['gaps', 'scan'], { cwd: blocked.dir })).code, 1);
  assert.is((await runBin(['gaps', 'scan', '--fail-on', 'never'], { cwd: blocked.dir })).code, 0);
  assert.is((await runBin(['gaps', 'scan', '--fail-on', 'critical'], { cwd: blocked.dir })).code, 0);
  assert.is((await runBin(['gaps', 'scan', '--fail-on', 'high'], { cwd: blocked.dir })).code, 1);
  const medium = makeRepo({ files: { 'NOTES.md': 'n\n', 'config/baseline_policy.yaml': 'v: 1\n' } });
  assert.is((await runBin(['gaps', 'scan'], { cwd: medium.dir })).code, 0, 'a medium gap does not block');
  assert.is((await runBin(['gaps', 'scan', '--fail-on', 'medium'], { cwd: medium.dir })).code, 1);
});

test('without --write nothing at all is written (tree, .git and git status unchanged)', async () => {
  const repo = makeRepo({ files: { 'NOTES.md': 'n\n', 'docs/a.md': 'a\n', 'scripts/check_docs_drift.py': 'print("ok")\n' }, worktree: { 'docs/a.md': 'changed\n' } });
  const status = repo.git('status', '--porcelain');
  const before = snapshotTree(repo.dir);
  const result = await runBin(['gaps', 'scan', '--format', 'text'], { cwd: repo.dir });
  assert.is(result.code, 1);
  assert.equal(snapshotTree(repo.dir), before);
  assert.is(repo.git('status', '--porcelain'), status);
});

test('with --write exactly gaps/gap_report_v1.json (and the fsck cache) is written, the same bytes as stdout, and git status stays clean', async () => {
  const repo = makeRepo({ files: { 'README.md': 'r\n', 'config/baseline_policy.yaml': 'v: 1\n' } });
  const result = await runBin(['gaps', 'scan', '--write', '--run-id', 'nightly-20260101-120000', '--project-id', 'shop'], { cwd: repo.dir });
  assert.is(result.code, 0, result.stderr);
  const written = join(repo.dir, '.autonomous_runs/shop/runs/nightly/nightly-20260101-120000/gaps/gap_report_v1.json');
  assert.equal(listFiles(join(repo.dir, '.autonomous_runs')), ['.cache/git_state_corruption.json', 'shop/runs/nightly/nightly-20260101-120000/gaps/gap_report_v1.json']);
  assert.is(readFileSync(written, 'utf8'), result.stdout);
  assert.match(result.stderr, /Wrote gap report: \.autonomous_runs\/shop\/runs\/nightly\/nightly-20260101-120000\/gaps\/gap_report_v1\.json/);
  assert.is(repo.git('status', '--porcelain'), '', 'autopack files never show in git status');
  assert.match(readFileSync(join(repo.dir, '.git/info/exclude'), 'utf8'), /^\/\.autonomous_runs\/$/m);
  // A second scan sees the same state: same digest, and the run dir is not clutter.
  const again = await runBin(['gaps', 'scan', '--write', '--run-id', 'nightly-20260101-120000', '--project-id', 'shop'], { cwd: repo.dir });
  assert.is(JSON.parse(again.stdout).workspace_state_digest, JSON.parse(result.stdout).workspace_state_digest);
});

test('runs dir from AUTONOMOUS_RUNS_DIR or --runs-dir, outside the workspace: no exclude entry needed', async () => {
  const repo = makeRepo({ files: { 'README.md': 'r\n' } });
  const runs = tempDir();
  const result = await runBin(['gaps', 'scan', '--write', '--fail-on', 'never', '--run-id', '007'], { cwd: repo.dir, env: testEnv({ AUTONOMOUS_RUNS_DIR: runs }) });
  assert.is(result.code, 0, result.stderr);
  const project = JSON.parse(result.stdout).project_id;
  assert.is(JSON.parse(result.stdout).run_id, '007', 'ids arrive as typed, not as numbers');
  assert.ok(existsSync(join(runs, project, 'runs/007/gaps/gap_report_v1.json')));
  assert.not.ok(existsSync(join(repo.dir, '.autonomous_runs')));
  const flag = tempDir();
  await runBin(['gaps', 'scan', '--write', '--fail-on', 'never', '--runs-dir', flag], { cwd: repo.dir, env: testEnv({ AUTONOMOUS_RUNS_DIR: runs }) });
  assert.ok(existsSync(join(flag, project, 'runs/local/gaps/gap_report_v1.json')), '--runs-dir wins over the environment');
});

test('SOURCE_DATE_EPOCH makes two scans byte-identical', async () => {
  const repo = makeRepo({ files: { 'NOTES.md': 'n\n', 'scripts/check_docs_drift.py': 'import sys\nprint("drift")\nsys.exit(1)\n' } });
  const env = testEnv({ SOURCE_DATE_EPOCH: '1767225600' });
  const first = await runBin(['gaps', 'scan', '--fail-on', 'never'], { cwd: repo.dir, env });
  const second = await runBin(['gaps', 'scan', '--fail-on', 'never'], { cwd: repo.dir, env });
  assert.is(first.stdout, second.stdout);
  const report = JSON.parse(first.stdout);
  assert.is(report.generated_at, '2026-01-01T00:00:00.000Z');
  assert.is(report.metadata.scan_duration_ms, 0);
  assert.is(report.gaps.find((gap: { gap_type: string }) => gap.gap_type === 'doc_drift').evidence.command_evidence.duration_ms, 0);
  const bad = await runBin(['gaps', 'scan'], { cwd: repo.dir, env: testEnv({ SOURCE_DATE_EPOCH: 'yesterday' }) });
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /SOURCE_DATE_EPOCH must be a whole number of seconds/);
});

test('git missing from PATH: sentinel digest, a note, git detectors skipped, no crash', async () => {
  const repo = makeRepo({ files: { 'NOTES.md': 'n\n' } });
  const result = await runBin(['gaps', 'scan', '--fail-on', 'never'], { cwd: repo.dir, env: testEnv({ PATH: tempDir() }) });
  assert.is(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  assert.is(report.workspace_state_digest, '25a12d1cd3feec8b');
  assert.match(report.metadata.notes.join('\n'), /git unavailable/);
  assert.ok(report.gaps.some((gap: { gap_type: string }) => gap.gap_type === 'root_clutter'));
});

test('--debug shows the stack trace of an error; without it there is none', async () => {
  const repo = makeRepo({ files: { 'autopack.config.yaml': 'bogus: 1\n' } });
  const plain = await runBin(['gaps', 'scan'], { cwd: repo.dir });
  assert.not.match(plain.stderr, /\n\s+at /);
  const debug = await runBin(['gaps', 'scan', '--debug'], { cwd: repo.dir });
  assert.is(debug.code, 2);
  assert.match(debug.stderr, /\n\s+at /);
});

test('--format text: one line per gap with its evidence on stdout, the counts on stderr', async () => {
  const repo = makeRepo({ files: { 'NOTES.md': 'n\n', 'config/baseline_policy.yaml': 'v: 1\n' } });
  const result = await runBin(['gaps', 'scan', '--format', 'text'], { cwd: repo.dir });
  assert.is(result.stdout, 'MEDIUM   -      root_clutter-f3d58dda5146  Root clutter: 1 files should be in docs/\n    NOTES.md\nskipped  sot_duplicate: no source-of-truth ledger in docs/ (BUILD_HISTORY.md, DEBUG_LOG.md, ARCHITECTURE_DECISIONS.md, SOT_INDEX.md); set detectors.sot_duplicate.options.required: true to check anyway\nnote     doc_drift: no documentation checks configured or found; relative links checked\n');
  // The counts go to stderr only: stdout holds the findings.
  const digest = JSON.parse((await runBin(['gaps', 'scan'], { cwd: repo.dir })).stdout).workspace_state_digest;
  assert.match(result.stderr, new RegExp(`1 gap \\(0 critical, 0 high, 1 medium, 0 low\\), 0 block autopilot; digest ${digest}\n$`));
  assert.not.match(result.stdout, /digest/);
});

test('--format text never prints a line a CI runner reads as a command (a file named ::stop-commands:: or ##[error])', async () => {
  const repo = makeRepo({ files: { 'config/baseline_policy.yaml': 'v: 1\n' }, worktree: { '::stop-commands::tok.md': 'n\n', '##[error]boom.md': 'n\n', 'z::ok.md': 'n\n' } });
  const result = await runBin(['gaps', 'scan', '--format', 'text', '--fail-on', 'never'], { cwd: repo.dir });
  assert.is(result.code, 0, result.stderr);
  for (const line of result.stdout.split('\n')) assert.not.match(line.trimStart(), /^(::|##\[)/, line);
  assert.match(result.stdout, /\\u003a:stop-commands::tok\.md/);
  assert.match(result.stdout, /\\u0023#\[error\]boom\.md/);
  assert.match(result.stdout, /^    z::ok\.md$/m, 'a :: inside a name is left as it is');
  // Errors and log messages on stderr too: a config key the repository chose names itself safely.
  const hostile = makeRepo({ files: { 'autopack.config.yaml': 'detectors:\n  "\\n::stop-commands::x": {}\n' } });
  const refused = await runBin(['gaps', 'scan'], { cwd: hostile.dir });
  assert.is(refused.code, 2);
  assert.match(refused.stderr, /unknown detector/);
  assert.ok(refused.stderr.includes('$.detectors["\\n::stop-commands::x"]: unknown detector "\\n::stop-commands::x"'), 'an odd key is quoted on one line');
  for (const line of refused.stderr.split('\n')) assert.not.match(line.trimStart(), /^(::|##\[)/, line);
});

test('validate: valid files exit 0; invalid ones exit 2 with every error as `path: message`', async () => {
  const dir = tempDir();
  const good = { format_version: 'v1', project_id: 'p', run_id: 'r', generated_at: '2026-01-01T00:00:00Z', gaps: [] };
  writeFileSync(join(dir, 'good.json'), JSON.stringify(good));
  writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...good, run_id: '', gaps: [{ gap_id: 'x', gap_type: 'nope' }], extra: 1 }));
  writeFileSync(join(dir, 'anchor.yaml'), 'format_version: v2\nproject_id: p\ncreated_at: "2026-01-01T00:00:00Z"\nraw_input_digest: 2cf24dba5fb0a30e\npivot_intentions: {}\n');
  writeFileSync(join(dir, 'mystery.json'), '{"format_version": "v1"}');
  writeFileSync(join(dir, 'broken.json'), '{"format_version": ');

  const ok = await runBin(['validate', 'good.json'], { cwd: dir });
  assert.equal([ok.code, ok.stdout], [0, '']);
  assert.match(ok.stderr, /good\.json is a valid GapReportV1/);
  assert.is((await runBin(['validate', 'anchor.yaml'], { cwd: dir })).code, 0);

  const bad = await runBin(['validate', 'bad.json'], { cwd: dir });
  assert.is(bad.code, 2);
  assert.equal(bad.stdout.trim().split('\n'), [
    "$.gaps[0]: Missing required field 'detection_signals'",
    "$.gaps[0]: Missing required field 'risk_classification'",
    "$.gaps[0]: Missing required field 'blocks_autopilot'",
    '$.run_id: String too short (min 1)',
    `$.gaps[0].gap_type: Value 'nope' not in allowed values ['baseline_policy_drift', 'db_lock_contention', 'doc_drift', 'git_state_corruption', 'memory_budget_cap_issue', 'production_config_debug', 'protected_path_violation', 'root_clutter', 'sot_duplicate', 'test_infra_drift', 'unknown', 'windows_encoding_issue']`,
    "$: Unknown field 'extra' (not allowed here)",
  ]);
  assert.match(bad.stderr, /bad\.json is not a valid GapReportV1: 6 error\(s\)/);
  const json = await runBin(['validate', 'bad.json', '--format', 'json'], { cwd: dir });
  assert.equal(JSON.parse(json.stdout).valid, false);
  assert.is(JSON.parse(json.stdout).errors.length, 6);

  const mystery = await runBin(['validate', 'mystery.json'], { cwd: dir });
  assert.is(mystery.code, 2);
  assert.match(mystery.stderr, /Cannot tell what kind of artifact mystery\.json is\nhint: pass --kind with one of: intention_anchor_v2/);
  const forced = await runBin(['validate', 'mystery.json', '--kind', 'plan_proposal_v1'], { cwd: dir });
  assert.is(forced.code, 2);
  assert.match(forced.stdout, /Missing required field 'anchor_id'/);
  const broken = await runBin(['validate', 'broken.json'], { cwd: dir });
  assert.is(broken.code, 2);
  assert.match(broken.stderr, /broken\.json: invalid JSON/);
  assert.match((await runBin(['validate', 'missing.json'], { cwd: dir })).stderr, /File not found: missing\.json/);
});

test('validate: a config file is checked in full (schema, detectors, options)', async () => {
  const repo = makeRepo({ files: { 'autopack.config.yaml': 'detectors:\n  nope: {}\n  root_clutter: { options: { allow: 3 } }\n' } });
  const result = await runBin(['validate', 'autopack.config.yaml'], { cwd: repo.dir });
  assert.is(result.code, 2);
  assert.match(result.stdout, /^\$\.detectors\.nope: unknown detector 'nope'/m);
  assert.match(result.stdout, /^\$\.detectors\.root_clutter\.options\.allow: Expected type 'array', got 'integer'$/m);
  writeFileSync(join(repo.dir, 'autopack.config.yaml'), 'fail_on: high\n');
  assert.is((await runBin(['validate', 'autopack.config.yaml'], { cwd: repo.dir })).code, 0);
});

test('detectors list: text table and JSON', async () => {
  const text = await runBin(['detectors', 'list']);
  assert.is(text.code, 0);
  assert.match(text.stdout, /^ID\s+GAP TYPE\s+SCOPE\s+RISK\s+BLOCKS\s+ENABLED\s+SOURCE$/m);
  assert.match(text.stdout, /^git_state_corruption\s+git_state_corruption\s+repo\s+critical\s+yes\s+yes\s+detectors\/git-state-corruption$/m);
  const json = JSON.parse((await runBin(['detectors', 'list', '--format', 'json'])).stdout) as Array<{ id: string }>;
  assert.is(json.length, 11);
  const actions = await runBin(['actions', 'list', '--format', 'json']);
  assert.is(actions.code, 0);
  assert.ok(Array.isArray(JSON.parse(actions.stdout)));
});

test.run();
