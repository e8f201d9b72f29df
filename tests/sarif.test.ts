// `gaps scan --format sarif` on real repositories: valid SARIF 2.1.0 by Microsoft's own
// validator, with the rules, results, lines, fingerprints and invocations code scanning needs.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DOCS_BASE_URL } from '../lib/report/links.ts';
import { REPO_ROOT, runBin } from './helpers/cli.ts';
import { makeRepo } from './helpers/git-fixture.ts';
import { AWKWARD_PATH, makeManyGapsRepo, makeReportRepo, pinnedEnv } from './helpers/report-fixture.ts';
import { validateSarif } from './helpers/sarif-validator.ts';

interface Sarif {
  version: string;
  runs: Array<{
    tool: { driver: { name: string; version: string; informationUri: string; rules: any[] } };
    automationDetails: { id: string };
    invocations: any[];
    results: any[];
    properties: Record<string, unknown>;
  }>;
}

const scanSarif = async (cwd: string, extra: string[] = []) => {
  const result = await runBin(['gaps', 'scan', '--format', 'sarif', ...extra], { cwd, env: pinnedEnv() });
  return { ...result, log: JSON.parse(result.stdout) as Sarif };
};

// One repository per shape the reporter handles; scanned once, validated together (the validator takes a second to start).
const shop = makeReportRepo();
const many = makeManyGapsRepo({ high: 3, low: 2 });
const clean = makeRepo({ files: { 'README.md': '# Clean\n', 'config/baseline_policy.yaml': 'version: 1\n' } });
const outputs = {
  shop: await scanSarif(shop.dir),
  many: await scanSarif(many.dir, ['--only', 'many_findings']),
  clean: await scanSarif(clean.dir, ['--fail-on', 'never']),
};

test('the SARIF validator finds no error in any output (the only warning: files without a line have no region)', () => {
  const findings = validateSarif(Object.fromEntries(Object.entries(outputs).map(([name, output]) => [`${name}.sarif`, output.stdout])));
  const problems = findings.filter((finding) => finding.level === 'error' || finding.ruleId !== 'SARIF2017');
  assert.equal(problems, [], JSON.stringify(problems, null, 2));
  // A gap about a whole file has no line to give; inventing `startLine: 1` would point at the wrong place.
  assert.ok(findings.every((finding) => finding.ruleId === 'SARIF2017'));
});

test('one autopack driver, one rule per detector message used, with its docs page and level from the declared risk', () => {
  const run = outputs.shop.log.runs[0]!;
  assert.is(outputs.shop.code, 1, 'the exit code is the scan verdict, whatever the format');
  assert.is(outputs.shop.log.version, '2.1.0');
  assert.is(run.tool.driver.name, 'autopack');
  assert.match(run.tool.driver.version, /^\d+\.\d+\.\d+/);
  assert.match(run.tool.driver.informationUri, /^https:\/\//);
  const ruleIds = run.tool.driver.rules.map((rule) => rule.id);
  assert.equal(ruleIds, [...new Set(run.results.map((result) => result.ruleId))].sort(), 'exactly the rules the results use, sorted');
  const debug = run.tool.driver.rules.find((rule) => rule.id === 'production_config_debug/debug');
  assert.is(debug.name, 'ProductionConfigDebugDebug');
  assert.is(debug.shortDescription.text, 'DEBUG enabled in production configs: {count} files.', 'the template, placeholders kept');
  assert.match(debug.fullDescription.text, /^DEBUG switched on in a production configuration/);
  assert.is(debug.defaultConfiguration.level, 'error');
  assert.is(debug.helpUri, `${DOCS_BASE_URL}detectors/production-config-debug.md`);
  assert.match(debug.help.markdown, /\]\(https:\/\/[^)]+production-config-debug\.md\)/);
  for (const rule of run.tool.driver.rules) {
    assert.ok(existsSync(join(REPO_ROOT, 'docs', rule.helpUri.slice(DOCS_BASE_URL.length))), `${rule.id}: ${rule.helpUri} is a page of docs/`);
  }
  assert.is(run.tool.driver.rules.find((rule) => rule.id === 'root_clutter/clutter').defaultConfiguration.level, 'warning');
});

test('a plugin detector gets a rule from its declaration, without a docs link', () => {
  const [rule] = outputs.many.log.runs[0]!.tool.driver.rules;
  assert.is(rule.id, 'many_findings/finding');
  assert.is(rule.shortDescription.text, 'Finding {n} ({risk}).');
  assert.is(rule.fullDescription.text, 'A test detector that reports a fixed number of gaps per risk.');
  assert.is(rule.helpUri, undefined);
  const levels = outputs.many.log.runs[0]!.results.map((result) => result.level);
  assert.equal(levels, ['error', 'error', 'error', 'note', 'note'], 'result level from each gap\'s risk');
});

test('one result per gap: level, message, repo-relative locations with lines, fingerprint and properties', () => {
  const run = outputs.shop.log.runs[0]!;
  const byRule = (id: string) => run.results.filter((result) => result.ruleId === id);
  const [debug] = byRule('production_config_debug/debug');
  assert.is(debug.level, 'error');
  assert.is(debug.message.text, 'DEBUG enabled in production configs: 1 files. Found 1 lines enabling DEBUG in 1 production config files.');
  assert.equal(debug.locations[0].physicalLocation, { artifactLocation: { uri: '.env.production', uriBaseId: '%SRCROOT%' }, region: { startLine: 2 } });
  assert.match(debug.locations[0].message.text, /DEBUG=true/);
  assert.equal(debug.partialFingerprints, { 'autopackGapId/v1': debug.properties.gap_id });
  assert.equal(debug.properties, { gap_id: debug.properties.gap_id, gap_type: 'production_config_debug', risk: 'high', blocks_autopilot: true });
  assert.is(run.tool.driver.rules[debug.ruleIndex].id, debug.ruleId);
  const [conflict] = byRule('git_state_corruption/conflict_markers');
  assert.equal(conflict.locations[0].physicalLocation.region, { startLine: 2 });
  const [clutter] = byRule('root_clutter/clutter');
  assert.is(clutter.level, 'warning');
  assert.is(clutter.locations[0].physicalLocation.artifactLocation.uri, 'NOTES%2C%20draft%3A%20100%25.md', `${AWKWARD_PATH} percent-encoded`);
  assert.is(decodeURIComponent(clutter.locations[0].physicalLocation.artifactLocation.uri), AWKWARD_PATH);
  // Code scanning rejects a result without a location: the failing check points at the checkout's root.
  const [drift] = byRule('doc_drift/docs_drift');
  assert.is(drift.locations[0].physicalLocation.artifactLocation.uri, '.');
  assert.is(outputs.shop.log.runs[0]!.results.length, 5);
});

test('invocations: autopack first, then each mechanical command with its exit code and output hashes', () => {
  const run = outputs.shop.log.runs[0]!;
  const [autopack, ...commands] = run.invocations;
  assert.is(autopack.executionSuccessful, true);
  assert.is(autopack.properties.kind, 'autopack');
  assert.is(autopack.endTimeUtc, '2026-01-01T00:00:00.000Z', 'the report\'s own time, no clock of its own');
  assert.is(commands.length, 1);
  const [check] = commands;
  assert.is(check.commandLine, 'python3 scripts/check_docs_drift.py');
  assert.equal(check.arguments, ['python3', 'scripts/check_docs_drift.py']);
  assert.is(check.exitCode, 1);
  assert.is(check.executionSuccessful, true, 'it ran to completion; exit 1 is its verdict');
  assert.match(check.properties.stderr_sha256, /^[a-f0-9]{64}$/);
  assert.equal(check.properties.gap_ids, [run.results.find((result) => result.ruleId === 'doc_drift/docs_drift').properties.gap_id]);
  assert.is(run.automationDetails.id, 'shop/local/');
});

test('a scan without gaps is a valid log with no results; the same repository gives the same bytes', async () => {
  assert.equal(outputs.clean.log.runs[0]!.results, []);
  assert.equal(outputs.clean.log.runs[0]!.tool.driver.rules, []);
  assert.is((await scanSarif(shop.dir)).stdout, outputs.shop.stdout);
});

test.run();
