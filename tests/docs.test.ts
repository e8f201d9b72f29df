// The docs match the code: every command and flag in docs/CLI.md, every detector and option in
// docs/detectors/, every config key in docs/CONFIG.md, and the README example reproduces.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as v from 'valibot';
import { parse as parseYaml } from 'yaml';
import { COMMANDS } from '../lib/cli/commands.ts';
import { optionsOf } from '../lib/cli/program.ts';
import { AutopackConfig } from '../lib/contracts/config.ts';
import { REPO_ROOT, runBin } from './helpers/cli.ts';
import { detectorPageProblems } from './helpers/detector-pages.ts';
import { runDocExamples } from './helpers/doc-examples.ts';
import { makeRepo } from './helpers/git-fixture.ts';

const read = (path: string) => readFileSync(`${REPO_ROOT}${path}`, 'utf8');
const GLOBAL_FLAGS = ['--debug', '--help', '--version'];

function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n${heading}\n`);
  assert.ok(start >= 0, `heading '${heading}'`);
  const rest = markdown.slice(start + heading.length + 2);
  const end = rest.search(/\n## /);
  return end < 0 ? rest : rest.slice(0, end);
}

const flagsOf = (raw: string) => raw.split(/[ ,]+/).filter((part) => part.startsWith('--'));

test('docs/CLI.md documents every command and exactly its flags', () => {
  const cli = read('docs/CLI.md');
  for (const command of COMMANDS) {
    const body = section(cli, `## autopack ${command.name}`);
    const declared = optionsOf(command).flatMap((option) => flagsOf(option.flag));
    for (const flag of declared) assert.ok(body.includes(`\`${flag}`), `${command.name}: ${flag} documented`);
    const mentioned = new Set(body.match(/--[a-z][a-z-]*/g) ?? []);
    for (const flag of mentioned) {
      assert.ok(declared.includes(flag) || GLOBAL_FLAGS.includes(flag), `${command.name}: docs mention ${flag}, which the command does not have`);
    }
  }
});

test('every built-in detector has a page naming its id and exactly its options', async () => {
  assert.equal(await detectorPageProblems(REPO_ROOT), []);
});

test('docs/CONFIG.md documents every config key, and its example is a valid config', () => {
  const doc = read('docs/CONFIG.md');
  for (const key of Object.keys(AutopackConfig.entries)) assert.ok(doc.includes(`| \`${key}`), `config key ${key}`);
  const example = /```yaml\n([\s\S]*?)```/.exec(doc)![1]!;
  const parsed = v.safeParse(AutopackConfig, parseYaml(example));
  assert.ok(parsed.success, JSON.stringify(parsed.issues));
});

test('README: the two commands, the exit codes, and an example that reproduces', async () => {
  const readme = read('README.md');
  // The two commands of a fresh clone; .ci/run runs both, from a fresh clone, as written.
  for (const needle of ['npm ci && npm run scan', 'npm ci && npm test', 'npx autopack gaps scan', '| 0 |', '| 1 |', '| 2 |']) assert.ok(readme.includes(needle), needle);
  const ci = read('.ci/run');
  for (const step of ['npm ci', 'npm test', 'npm run scan']) assert.match(ci, new RegExp(`^${step}( |$)`, 'm'), `.ci/run runs ${step}`);
  // The README's demo repository, rebuilt: the gap lines and the check's evidence must match.
  const repo = makeRepo({
    files: { 'README.md': '# Demo\n', 'docs/guide.md': 'Guide\n', 'scripts/check_docs_drift.py': 'import sys\nprint("docs/index.md links to a missing page")\nsys.exit(1)\n' },
    worktree: { 'docs/guide.md': 'Guide, edited by an agent\n', 'NOTES.md': 'scratch\n' },
  });
  const text = await runBin(['gaps', 'scan', '--format', 'text'], { cwd: repo.dir });
  assert.is(text.code, 1);
  const lines = text.stdout.trim().split('\n');
  const shown = /```console\n\$ npx autopack gaps scan --format text\n([\s\S]*?)\n\$ echo \$\?/.exec(readme)![1]!.split('\n');
  assert.equal(lines, shown.slice(0, -1), 'gap lines (stdout)');
  const summary = text.stderr.trim().split('\n').at(-1)!;
  assert.is(summary.replace(/digest \w+$/, ''), shown.at(-1)!.replace(/digest \w+$/, ''), 'summary line (stderr)');
  await runBin(['gaps', 'scan', '--write', '--fail-on', 'never'], { cwd: repo.dir });
  await runBin(['anchor', 'init', '--write'], { cwd: repo.dir });
  const plan = (await runBin(['plan', 'propose', '--format', 'text'], { cwd: repo.dir })).stdout.trim().split('\n');
  const shownPlan = /\$ npx autopack plan propose --format text\n([\s\S]*?)\n```/.exec(readme)![1]!.split('\n');
  assert.equal(plan.map((line) => line.replace(/plan-[0-9a-f]{12}$/, 'plan-…')), shownPlan, 'plan lines');
  const json = JSON.parse((await runBin(['gaps', 'scan'], { cwd: repo.dir })).stdout);
  const evidence = json.gaps.find((gap: { gap_type: string }) => gap.gap_type === 'doc_drift').evidence.command_evidence;
  for (const key of ['command', 'exit_code', 'stdout_hash', 'stdout_sha256', 'stderr_sha256', 'stdout_excerpt', 'stdout_bytes', 'stderr_bytes']) {
    assert.ok(readme.includes(`"${key}": ${JSON.stringify(evidence[key])}`), `README shows the real ${key}`);
  }
});

test('docs/GOVERNANCE.md: every example anchor and command runs and prints what the doc shows', () => {
  const doc = read('docs/GOVERNANCE.md');
  const run = runDocExamples(doc);
  assert.ok(run.commands >= 10 && run.files >= 5, `${run.commands} commands, ${run.files} files`);
  // On a mismatch: node --import tsx tests/helpers/update-doc-examples.ts docs/GOVERNANCE.md, then review the diff.
  assert.fixture(run.actual, doc);
});

test('docs/AUTOPILOT_OPERATIONS.md: the commands of the runbook run on the demo repository and print what it shows', () => {
  const doc = read('docs/AUTOPILOT_OPERATIONS.md');
  const run = runDocExamples(doc);
  assert.ok(run.commands >= 9, `${run.commands} commands`);
  // On a mismatch: node --import tsx tests/helpers/update-doc-examples.ts docs/AUTOPILOT_OPERATIONS.md, then review the diff.
  assert.fixture(run.actual, doc);
});

test('docs/PARALLEL_RUNS.md: its commands run and print what it shows', () => {
  const doc = read('docs/PARALLEL_RUNS.md');
  const run = runDocExamples(doc);
  assert.ok(run.commands >= 5, `${run.commands} commands`);
  // On a mismatch: node --import tsx tests/helpers/update-doc-examples.ts docs/PARALLEL_RUNS.md, then review the diff.
  assert.fixture(run.actual, doc);
});

test.run();
