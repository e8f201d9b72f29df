// Changed-files scans for hooks and CI: --staged judges what is being committed (the index,
// never the working tree), --since REF what a branch changed, --files what pre-commit passes.
// Repository-wide detectors are skipped with a note, no check runs, and a person's docs edit commits.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { hookCommand } from '../lib/hooks/install.ts';
import { BIN, runBin } from './helpers/cli.ts';
import { makeRepo, tempDir } from './helpers/git-fixture.ts';

const CONFLICT = '<<<<<<< HEAD\na = 1\n=======\na = 2\n>>>>>>> theirs\n';

function project() {
  return makeRepo({
    files: {
      'README.md': '# r\n',
      'docs/guide.md': 'Guide\n',
      'src/app.py': 'print(1)\n',
      'scripts/check_docs_drift.py': "open('CHECK_RAN', 'w')\n",
    },
  });
}

async function staged(repo: ReturnType<typeof makeRepo>, extra: string[] = []) {
  const result = await runBin(['gaps', 'scan', '--staged', ...extra], { cwd: repo.dir });
  return { ...result, report: result.stdout ? JSON.parse(result.stdout) : undefined };
}

test('--staged judges the index: staged debris blocks, the working tree does not count', async () => {
  const repo = project();
  repo.write({ 'src/app.py': CONFLICT, 'NOTES.md': 'scratch\n', 'latin1.md': 'caf\xe9\n' });
  writeFileSync(join(repo.dir, 'latin1.md'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
  repo.git('add', 'src/app.py', 'NOTES.md', 'latin1.md');
  // Fixed in the working tree, not staged: the commit still holds the conflict.
  repo.write({ 'src/app.py': 'a = 1\n' });
  const result = await staged(repo);
  assert.is(result.code, 1, result.stderr);
  const ids = result.report.gaps.map((gap: { detector: string; message_id: string }) => `${gap.detector}/${gap.message_id}`).sort();
  assert.equal(ids, ['git_state_corruption/conflict_markers', 'root_clutter/new_notes', 'windows_encoding_issue/encoding']);
  assert.is(result.report.metadata.scope, 'staged');
  assert.equal(result.report.metadata.commands_run, [], 'no repository code runs in a hook');
  assert.not.ok(existsSync(join(repo.dir, 'CHECK_RAN')));
  assert.ok(result.report.metadata.skipped_detectors.some((s: { detector: string; reason: string }) => s.detector === 'doc_drift' && /not a staged change/.test(s.reason)));
  // Staged in the working tree only (unstaged): nothing to judge.
  const clean = project();
  clean.write({ 'src/app.py': CONFLICT, 'NOTES.md': 'n\n' });
  assert.is((await staged(clean)).code, 0);
});

test('a person editing docs/ commits: protected paths block a change only where the config says agents commit', async () => {
  const repo = project();
  repo.write({ 'docs/guide.md': 'Guide, typo fixed\n' });
  repo.git('add', 'docs/guide.md');
  const human = await staged(repo);
  assert.is(human.code, 0, human.stdout);
  assert.equal(human.report.gaps, []);
  repo.write({ 'autopack.config.yaml': 'detectors:\n  protected_path_violation: { options: { block_changes: true } }\n' });
  const agents = await staged(repo);
  assert.is(agents.code, 1);
  assert.equal(agents.report.gaps.map((gap: { gap_type: string; evidence: { file_paths: string[] } }) => [gap.gap_type, gap.evidence.file_paths]), [['protected_path_violation', ['docs/guide.md']]]);
});

test('--staged --checks runs the checks; --since REF and --files judge a branch and given paths', async () => {
  const repo = project();
  repo.write({ 'docs/x.md': 'x\n' });
  repo.git('add', 'docs/x.md');
  const withChecks = await runBin(['gaps', 'scan', '--staged', '--checks', '--only', 'root_clutter'], { cwd: repo.dir });
  assert.is(withChecks.code, 0);
  repo.git('commit', '-qm', 'docs');
  repo.git('checkout', '-qb', 'feature');
  repo.write({ 'PLAN.md': 'plan\n', 'src/app.py': CONFLICT });
  repo.git('add', '-A');
  repo.git('commit', '-qm', 'feature');
  const since = JSON.parse((await runBin(['gaps', 'scan', '--since', 'main', '--fail-on', 'never'], { cwd: repo.dir })).stdout);
  assert.is(since.metadata.scope, 'since');
  assert.equal(since.gaps.map((gap: { message_id: string }) => gap.message_id).sort(), ['conflict_markers', 'new_notes']);
  const files = JSON.parse((await runBin(['gaps', 'scan', '--files', 'src/app.py', 'README.md', '--fail-on', 'never'], { cwd: repo.dir })).stdout);
  assert.is(files.metadata.scope, 'files');
  assert.equal(files.gaps.map((gap: { message_id: string }) => gap.message_id), ['conflict_markers']);
  const bad = await runBin(['gaps', 'scan', '--since', '--output=x'], { cwd: repo.dir });
  assert.is(bad.code, 2);
  const both = await runBin(['gaps', 'scan', '--staged', '--since', 'main'], { cwd: repo.dir });
  assert.match(both.stderr, /--staged and --since cannot be combined/);
});

test('--files -- takes every word after it as a path, even one that starts with -; extra words elsewhere are refused', async () => {
  const repo = project();
  repo.write({ '-notes.md': 'n\n', 'src/odd name.py': CONFLICT });
  const result = await runBin(['gaps', 'scan', '--fail-on', 'never', '--files', '--', '-notes.md', 'src/odd name.py'], { cwd: repo.dir });
  assert.is(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  assert.equal(report.gaps.map((gap: { message_id: string }) => gap.message_id).sort(), ['conflict_markers', 'new_notes']);
  // A path that is not a file is left out, and the report says so: never an "added" file, never silently nothing.
  const odd = JSON.parse((await runBin(['gaps', 'scan', '--fail-on', 'never', '--files', 'GONE.md', 'src', 'README.md'], { cwd: repo.dir })).stdout);
  assert.equal(odd.gaps, []);
  assert.ok(odd.metadata.notes.includes('--files: GONE.md left out: not found'), odd.metadata.notes.join('\n'));
  assert.ok(odd.metadata.notes.includes('--files: src left out: a folder (--files takes files: pass the files in it)'));
  const unused = await runBin(['anchor', 'init', '--', 'extra'], { cwd: repo.dir });
  assert.is(unused.code, 2);
  assert.match(unused.stderr, /Unused args: `extra`/);
  const withoutFiles = await runBin(['gaps', 'scan', '--', '-notes.md'], { cwd: repo.dir });
  assert.is(withoutFiles.code, 2);
  assert.match(withoutFiles.stderr, /paths given \(-notes\.md…\) without --files/);
});

test('run from a subfolder, a scan judges the whole repository; --workspace SUBDIR says it is partial', async () => {
  const repo = project();
  repo.write({ 'NOTES.md': 'n\n', 'docs/guide.md': 'edited\n' });
  const top = await runBin(['gaps', 'scan', '--fail-on', 'never'], { cwd: join(repo.dir, 'docs') });
  const report = JSON.parse(top.stdout);
  assert.ok(report.gaps.some((gap: { gap_type: string }) => gap.gap_type === 'root_clutter'), 'the root was scanned');
  assert.match(top.stderr, /Scanning the whole repository/);
  const sub = JSON.parse((await runBin(['gaps', 'scan', '--workspace', 'docs', '--fail-on', 'never'], { cwd: repo.dir })).stdout);
  assert.is(sub.metadata.workspace_subfolder, 'docs/');
  assert.ok(sub.metadata.notes.some((note: string) => /partial scan: only docs\//.test(note)));
});

test('hooks install: prints the hook, writes it only with --write, never replaces a hook it did not write', async () => {
  const repo = project();
  const printed = await runBin(['hooks', 'install'], { cwd: repo.dir });
  assert.is(printed.code, 0);
  assert.match(printed.stdout, /gaps scan --staged --format text/);
  assert.not.ok(existsSync(join(repo.dir, '.git/hooks/pre-commit')));
  assert.is((await runBin(['hooks', 'install', '--write'], { cwd: repo.dir })).code, 0);
  assert.ok(existsSync(join(repo.dir, '.git/hooks/pre-commit')));
  assert.is((await runBin(['hooks', 'install', '--write'], { cwd: repo.dir })).code, 0, 'its own hook is replaced');
  // The installed hook stops a commit with staged debris, and lets a docs edit through.
  repo.write({ 'docs/guide.md': 'typo fixed\n' });
  repo.git('add', 'docs/guide.md');
  repo.git('commit', '-qm', 'docs edit');
  repo.write({ 'src/app.py': CONFLICT });
  repo.git('add', 'src/app.py');
  let refused = false;
  try {
    repo.git('commit', '-qm', 'debris');
  } catch {
    refused = true;
  }
  assert.ok(refused, 'the commit with conflict markers was stopped');
  const other = project();
  writeFileSync(join(other.dir, '.git/hooks/pre-commit'), '#!/bin/sh\necho mine\n');
  const kept = await runBin(['hooks', 'install', '--write'], { cwd: other.dir });
  assert.is(kept.code, 2);
  assert.match(kept.stderr, /autopack did not write it: refusing to replace it/);
  // A hooks folder that links elsewhere is shared: nothing is written through it.
  const linked = project();
  const shared = tempDir();
  rmSync(join(linked.dir, '.git/hooks'), { recursive: true, force: true });
  symlinkSync(shared, join(linked.dir, '.git/hooks'));
  const refusedLink = await runBin(['hooks', 'install', '--write'], { cwd: linked.dir });
  assert.is(refusedLink.code, 2);
  assert.match(refusedLink.stderr, /hooks folder .* is a link to .*: autopack does not write there/);
  assert.equal(readdirSync(shared), []);
});

test('hooks install: a project with its own autopack gets a hook that runs it directly, from any folder of a commit', async () => {
  const repo = project();
  mkdirSync(join(repo.dir, 'node_modules/.bin'), { recursive: true });
  writeFileSync(join(repo.dir, '.git/info/exclude'), 'node_modules/\n', { flag: 'a' });
  symlinkSync(BIN, join(repo.dir, 'node_modules/.bin/autopack'));
  assert.is((await runBin(['hooks', 'install', '--write'], { cwd: repo.dir })).code, 0);
  const hook = readFileSync(join(repo.dir, '.git/hooks/pre-commit'), 'utf8');
  assert.match(hook, /^exec \.\/node_modules\/\.bin\/autopack gaps scan --staged --format text$/m, 'no npx start-up in the hook');
  repo.write({ 'src/app.py': CONFLICT });
  repo.git('add', 'src/app.py');
  let refused = false;
  try {
    repo.git('-C', 'src', 'commit', '-qm', 'debris');
  } catch {
    refused = true;
  }
  assert.ok(refused, 'the commit with conflict markers was stopped, committed from a subfolder');
});

test('the hook names autopack by a path quoted for sh: $, backticks and quotes in it expand nothing', () => {
  const root = tempDir();
  const odd = "/opt/it's $(touch pwned) `x`/autopack.js";
  const command = hookCommand(root, odd);
  assert.is(command, `node '/opt/it'\\''s $(touch pwned) \`x\`/autopack.js' gaps scan --staged --format text`);
  assert.equal(execFileSync('sh', ['-c', `printf '%s' ${command.split(' gaps ')[0]!.slice('node '.length)}`], { cwd: root, encoding: 'utf8' }), odd);
  assert.not.ok(existsSync(join(root, 'pwned')));
});

test('--since in a shallow clone says so, and how to fetch the history', async () => {
  const repo = project();
  repo.write({ 'docs/more.md': 'more\n' });
  repo.git('add', '-A');
  repo.git('commit', '-qm', 'second');
  const shallow = join(tempDir(), 'shallow');
  execFileSync('git', ['clone', '-q', '--depth', '1', `file://${repo.dir}`, shallow]);
  const result = await runBin(['gaps', 'scan', '--since', 'HEAD~1'], { cwd: shallow });
  assert.is(result.code, 2);
  assert.match(result.stderr, /no merge base with HEAD/);
  assert.match(result.stderr, /hint: this is a shallow clone: fetch the history \(actions\/checkout with fetch-depth: 0/);
});

test.run();
