// Configuration: optional, validated, and every mistake is one clear message naming the
// file and the key (exit 2, nothing written, no stack trace).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfig } from '../lib/config/load-config.ts';
import { scanGaps } from '../lib/gaps/scan-gaps.ts';
import { runBin, runInProcess } from './helpers/cli.ts';
import { makeRepo, testEnv } from './helpers/git-fixture.ts';

async function scanWithConfig(name: string, content: string) {
  const repo = makeRepo({ files: { 'README.md': 'r\n', [name]: content } });
  const result = await runInProcess(['gaps', 'scan'], { cwd: repo.dir });
  assert.is(result.stdout, '', 'no report on stdout');
  assert.not.ok(existsSync(join(repo.dir, '.autonomous_runs')), 'nothing written');
  assert.not.match(result.stderr, /\n\s+at /, 'no stack trace');
  return result;
}

test('no config file is fine; YAML, YML and JSON are found at the workspace root', async () => {
  const none = makeRepo({ files: { 'a.txt': 'a' } });
  assert.equal((await loadConfig({ workspace: none.dir, cwd: none.dir })).config, {});
  for (const name of ['autopack.config.yaml', 'autopack.config.yml']) {
    const repo = makeRepo({ files: { [name]: 'project_id: shop\nfail_on: high\n' } });
    assert.equal((await loadConfig({ workspace: repo.dir, cwd: repo.dir })).config, { project_id: 'shop', fail_on: 'high' });
  }
  const json = makeRepo({ files: { 'autopack.config.json': '{"project_id": "shop"}' } });
  const loaded = await loadConfig({ workspace: json.dir, cwd: json.dir });
  assert.is(loaded.path, join(json.dir, 'autopack.config.json'));
  const empty = makeRepo({ files: { 'autopack.config.yaml': '# nothing yet\n' } });
  assert.equal((await loadConfig({ workspace: empty.dir, cwd: empty.dir })).config, {});
});

test('malformed YAML names the file and the line', async () => {
  const result = await scanWithConfig('autopack.config.yaml', 'detectors:\n  root_clutter: { enabled: true\nplugins: []\n');
  assert.is(result.code, 2);
  assert.match(result.stderr, /autopack\.config\.yaml: invalid YAML \(line \d+, column \d+\)/);
});

test('malformed JSON names the file', async () => {
  const result = await scanWithConfig('autopack.config.json', '{"project_id": "shop",}');
  assert.is(result.code, 2);
  assert.match(result.stderr, /autopack\.config\.json: invalid JSON/);
});

test('an unknown key names the file and the key', async () => {
  const result = await scanWithConfig('autopack.config.yaml', 'project_id: shop\nfail_onn: high\n');
  assert.is(result.code, 2);
  assert.match(result.stderr, /autopack\.config\.yaml: invalid configuration:\n\s+\$: Unknown field 'fail_onn'/);
  assert.match(result.stderr, /hint: see docs\/CONFIG\.md/);
});

test('an editor\'s $schema key is allowed (and ignored) in JSON and YAML; it must be a string, and nothing else is let through', async () => {
  const schema = './node_modules/autopack/docs/schemas/config.schema.json';
  const json = makeRepo({ files: { 'README.md': 'r\n', 'autopack.config.json': JSON.stringify({ $schema: schema, fail_on: 'never' }) } });
  assert.equal((await loadConfig({ workspace: json.dir, cwd: json.dir })).config, { $schema: schema, fail_on: 'never' });
  const validated = await runInProcess(['validate', 'autopack.config.json'], { cwd: json.dir });
  assert.is(validated.code, 0, validated.stderr + validated.stdout);
  const yaml = makeRepo({ files: { 'autopack.config.yaml': `$schema: ${schema}\nfail_on: high\n` } });
  assert.is((await loadConfig({ workspace: yaml.dir, cwd: yaml.dir })).config.fail_on, 'high');
  const notString = await scanWithConfig('autopack.config.json', '{"$schema": 1}');
  assert.is(notString.code, 2);
  assert.match(notString.stderr, /\$\.\$schema: Expected type 'string'/);
  const lookalike = await scanWithConfig('autopack.config.json', '{"$schemas": "x.json"}');
  assert.match(lookalike.stderr, /Unknown field '\$schemas'/);
});

test('wrong types, unknown detectors, bad options and misplaced checks are all listed', async () => {
  const result = await scanWithConfig(
    'autopack.config.yaml',
    [
      'fail_on: sometimes',
      'protected_paths: docs/',
      'detectors:',
      '  root_clutterr: { enabled: false }',
      '  memory_budget_cap_issue: { options: { max_bytes: "big" } }',
      '  root_clutter: { options: { allowed: [] } }',
      'checks:',
      '  root_clutter: [{ id: x, run: [echo] }]',
      '  doc_drift: [{ id: docs, run: "python3 check.py" }]',
    ].join('\n'),
  );
  assert.is(result.code, 2);
  for (const expected of [
    /\$\.fail_on: Value 'sometimes' not in allowed values/,
    /\$\.protected_paths: Expected type 'array', got 'string'/,
    /\$\.checks\.doc_drift\[0\]\.run: Expected type 'array', got 'string'/,
  ]) {
    assert.match(result.stderr, expected);
  }
  // The detector-level problems are reported once the schema passes.
  const second = await scanWithConfig(
    'autopack.config.yaml',
    [
      'detectors:',
      '  root_clutterr: { enabled: false }',
      '  memory_budget_cap_issue: { options: { max_bytes: "big" } }',
      '  root_clutter: { options: { allowed: [] } }',
      'checks:',
      '  root_clutter: [{ id: x, run: [echo] }]',
    ].join('\n'),
  );
  assert.is(second.code, 2);
  for (const expected of [
    /\$\.detectors\.root_clutterr: unknown detector 'root_clutterr'/,
    /\$\.detectors\.memory_budget_cap_issue\.options\.max_bytes: Expected type 'number', got 'string'/,
    /\$\.detectors\.root_clutter\.options: Unknown field 'allowed'/,
    /\$\.checks\.root_clutter: detector 'root_clutter' does not run configured checks/,
  ]) {
    assert.match(second.stderr, expected);
  }
});

test('--config: a missing file, a folder, a file elsewhere', async () => {
  const repo = makeRepo({ files: { 'README.md': 'r\n' } });
  const missing = await runInProcess(['gaps', 'scan', '--config', 'nope.yaml'], { cwd: repo.dir });
  assert.is(missing.code, 2);
  assert.match(missing.stderr, /Config file not found: nope\.yaml/);
  mkdirSync(join(repo.dir, 'cfgdir'));
  const folder = await runInProcess(['gaps', 'scan', '--config', 'cfgdir'], { cwd: repo.dir });
  assert.is(folder.code, 2);
  assert.match(folder.stderr, /Cannot read cfgdir: it is a directory, not a file/);
  const elsewhere = makeRepo({ files: { 'my.yaml': 'project_id: from-elsewhere\n' }, git: false });
  const ok = await runInProcess(['gaps', 'scan', '--config', join(elsewhere.dir, 'my.yaml'), '--fail-on', 'never'], { cwd: repo.dir });
  assert.is(ok.code, 0, ok.stderr);
  assert.is(JSON.parse(ok.stdout).project_id, 'from-elsewhere');
});

test('precedence: flags over config over defaults', async () => {
  const repo = makeRepo({ files: { 'NOTES.md': 'n\n', 'autopack.config.yaml': 'project_id: from-config\nfail_on: medium\ndetectors:\n  root_clutter: { risk: high, blocks_autopilot: true }\n' } });
  const byConfig = await scanGaps({ workspace: repo.dir, cwd: repo.dir, env: testEnv(), only: ['root_clutter'] });
  assert.is(byConfig.report.project_id, 'from-config');
  assert.is(byConfig.report.gaps[0]!.risk_classification, 'high');
  assert.is(byConfig.report.gaps[0]!.blocks_autopilot, true);
  const byFlag = await runInProcess(['gaps', 'scan', '--project-id', 'from-flag', '--only', 'root_clutter', '--fail-on', 'never'], { cwd: repo.dir });
  assert.is(byFlag.code, 0);
  assert.is(JSON.parse(byFlag.stdout).project_id, 'from-flag');
  const failOnFromConfig = await runInProcess(['gaps', 'scan', '--only', 'root_clutter'], { cwd: repo.dir });
  assert.is(failOnFromConfig.code, 1, 'config fail_on: medium applies without the flag');
});

test('a detector disabled in the config does not run; --only runs it anyway', async () => {
  const repo = makeRepo({ files: { 'NOTES.md': 'n\n', 'autopack.config.yaml': 'detectors:\n  root_clutter: { enabled: false }\n' } });
  const off = await scanGaps({ workspace: repo.dir, cwd: repo.dir, env: testEnv() });
  assert.not.ok(off.report.metadata!.detectors_run!.includes('root_clutter'));
  assert.not.ok(off.report.gaps.some((gap) => gap.gap_type === 'root_clutter'));
  const only = await scanGaps({ workspace: repo.dir, cwd: repo.dir, env: testEnv(), only: ['root_clutter'] });
  assert.equal(only.report.metadata!.detectors_run, ['root_clutter']);
});

test('two config files in one workspace are an error naming both: an edit of the one not read would change nothing', async () => {
  const repo = makeRepo({ files: { 'README.md': '# r\n', 'autopack.config.yaml': 'fail_on: never\n', 'autopack.config.json': '{"fail_on": "blocker"}\n' } });
  const result = await runBin(['gaps', 'scan'], { cwd: repo.dir });
  assert.is(result.code, 2);
  assert.match(result.stderr, /Two config files in .*: autopack\.config\.yaml and autopack\.config\.json/);
  assert.is((await runBin(['gaps', 'scan', '--config', 'autopack.config.yaml'], { cwd: repo.dir })).code, 0, '--config names the one to use');
});

test.run();
