// `autopack detectors new` and `actions new`: nothing written without --write, never an
// overwrite, a checked id; the scaffold's own test passes as a real `node` process, and once the
// config lists it, a scan finds its gap and autopilot executes the handler.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REPO_ROOT, runBin } from './helpers/cli.ts';
import { makeRepo, tempDir, testEnv } from './helpers/git-fixture.ts';

/** A project with autopack (and tsx) installed, as `npm i -D autopack` leaves it. */
function project() {
  const repo = makeRepo({ files: { 'README.md': '# r\n', '.gitignore': 'node_modules/\n', 'package.json': '{ "name": "shop", "private": true }\n' } });
  mkdirSync(join(repo.dir, 'node_modules'));
  symlinkSync(REPO_ROOT, join(repo.dir, 'node_modules', 'autopack'));
  symlinkSync(join(REPO_ROOT, 'node_modules', 'tsx'), join(repo.dir, 'node_modules', 'tsx'));
  return repo;
}

function node(dir: string, args: string[]) {
  return spawnSync(process.execPath, args, { cwd: dir, env: testEnv() as NodeJS.ProcessEnv, encoding: 'utf8', timeout: 60_000 });
}

test('detectors new prints the files and writes nothing without --write; the id is checked', async () => {
  const repo = project();
  const dry = await runBin(['detectors', 'new', 'leftover_files'], { cwd: repo.dir });
  assert.is(dry.code, 0, dry.stderr);
  const shown = [...dry.stdout.matchAll(/^==> (.+) <==$/gm)].map((match) => match[1]);
  assert.equal(shown, ['plugins/leftover-files.mjs', 'plugins/leftover-files.test.mjs', 'plugins/fixtures/leftover-files/failing.json', 'plugins/fixtures/leftover-files/passing.json']);
  assert.match(dry.stderr, /Nothing written: these are the 4 files of the detector leftover_files; pass --write to create them/);
  assert.not.ok(existsSync(join(repo.dir, 'plugins')));
  for (const bad of ['Leftover', '1st', 'left-over']) {
    const result = await runBin(['detectors', 'new', bad], { cwd: repo.dir });
    assert.is(result.code, 2, bad);
    assert.match(result.stderr, /must match \^\[a-z\]\[a-z0-9_\]\*\$/);
  }
  const builtin = await runBin(['actions', 'new', 'rescan_gap'], { cwd: repo.dir });
  assert.is(builtin.code, 2);
  assert.match(builtin.stderr, /action id 'rescan_gap' is taken by actions\/rescan-gap/);
});

test('a written detector scaffold passes its own test under node, and a scan finds its gap once the config lists it', async () => {
  const repo = project();
  const written = await runBin(['detectors', 'new', 'leftover_files', '--write'], { cwd: repo.dir });
  assert.is(written.code, 0, written.stderr);
  assert.match(written.stderr, /Run its test: node plugins\/leftover-files\.test\.mjs/);
  assert.match(written.stderr, /add it to the config's plugins \(autopack\.config\.yaml\): plugins: \[\.\/plugins\/leftover-files\.mjs\]/);
  const own = node(repo.dir, ['plugins/leftover-files.test.mjs']);
  assert.is(own.status, 0, own.stderr);
  assert.equal(own.stdout.trim().split('\n'), ['ok leftover_files failing: a merge left src/app.js.orig behind', 'ok leftover_files passing: nothing left behind']);

  // Written again: refused, nothing replaced (the same file, not a new one with the same text).
  const before = statSync(join(repo.dir, 'plugins/leftover-files.mjs'));
  const again = await runBin(['detectors', 'new', 'leftover_files', '--write'], { cwd: repo.dir });
  assert.is(again.code, 2);
  assert.match(again.stderr, /plugins\/leftover-files\.mjs already exists: autopack never overwrites a file/);
  assert.match(again.stderr, /nothing was written/);
  const after = statSync(join(repo.dir, 'plugins/leftover-files.mjs'));
  assert.equal([after.ino, after.mtimeMs], [before.ino, before.mtimeMs]);

  // Another folder with --dir.
  const elsewhere = await runBin(['detectors', 'new', 'other_probe', '--dir', 'tools/autopack', '--write'], { cwd: repo.dir });
  assert.is(elsewhere.code, 0, elsewhere.stderr);
  assert.match(elsewhere.stderr, /plugins: \[\.\/tools\/autopack\/other-probe\.mjs\]/);

  // Not listed: not scanned. Listed: its gap (and none for its own fixtures, which are JSON).
  repo.write({ 'src/app.js': 'x\n', 'src/app.js.rej': 'y\n' });
  const unlisted = JSON.parse((await runBin(['gaps', 'scan', '--fail-on', 'never'], { cwd: repo.dir })).stdout);
  assert.not.ok(unlisted.gaps.some((gap: { detector: string }) => gap.detector === 'leftover_files'));
  repo.write({ 'autopack.config.yaml': 'plugins: [./plugins/leftover-files.mjs]\n' });
  const scan = await runBin(['gaps', 'scan', '--fail-on', 'never'], { cwd: repo.dir });
  assert.is(scan.code, 0, scan.stderr);
  const gaps = JSON.parse(scan.stdout).gaps.filter((gap: { detector: string }) => gap.detector === 'leftover_files');
  assert.equal(gaps.map((gap: { title: string; evidence: { file_paths: string[] } }) => [gap.title, gap.evidence.file_paths]), [['1 leftover files', ['src/app.js.rej']]]);
});

test('an action scaffold passes its test, and autopilot plans and executes it for the detector it verifies', async () => {
  const repo = project();
  assert.is((await runBin(['detectors', 'new', 'leftover_files', '--write'], { cwd: repo.dir })).code, 0);
  const action = await runBin(['actions', 'new', 'verify_leftovers', '--verifies', 'leftover_files', '--write'], { cwd: repo.dir });
  assert.is(action.code, 0, action.stderr);
  const own = node(repo.dir, ['plugins/verify-leftovers.test.mjs']);
  assert.is(own.status, 0, own.stderr);
  assert.match(own.stdout, /ok verify_leftovers/);
  repo.write({ 'autopack.config.yaml': 'plugins: [./plugins/leftover-files.mjs, ./plugins/verify-leftovers.mjs]\n', 'src/app.js.orig': 'x\n' });
  assert.is((await runBin(['anchor', 'init', '--write'], { cwd: repo.dir })).code, 0);
  const session = await runBin(['autopilot', 'run', '--enable', '--write'], { cwd: repo.dir });
  const record = JSON.parse(session.stdout);
  const ran = record.action_results.find((result: { handler?: string }) => result.handler === 'verify_leftovers');
  assert.ok(ran, session.stdout);
  assert.equal([ran.success, ran.effects_verified], [true, true]);
  // Without --verifies it says what to set.
  const bare = await runBin(['actions', 'new', 'verify_nothing', '--write'], { cwd: repo.dir });
  assert.match(bare.stderr, /It verifies no gap type yet: set `verifies` \(or pass --verifies\)/);
});

test('--typescript scaffolds run through tsx; a --dir through a symlink or outside the workspace is refused', async () => {
  const repo = project();
  const ts = await runBin(['detectors', 'new', 'ts_probe', '--typescript', '--write'], { cwd: repo.dir });
  assert.is(ts.code, 0, ts.stderr);
  assert.match(ts.stderr, /Run its test: npx tsx plugins\/ts-probe\.test\.mts/);
  const own = node(repo.dir, ['--import', 'tsx', 'plugins/ts-probe.test.mts']);
  assert.is(own.status, 0, own.stderr);
  const tsAction = await runBin(['actions', 'new', 'ts_handler', '--typescript', '--write'], { cwd: repo.dir });
  assert.is(tsAction.code, 0, tsAction.stderr);
  assert.is(node(repo.dir, ['--import', 'tsx', 'plugins/ts-handler.test.mts']).status, 0);
  repo.write({ 'autopack.config.yaml': 'plugins: [./plugins/ts-probe.mts, ./plugins/ts-handler.mts]\n' });
  const list = await runBin(['detectors', 'list'], { cwd: repo.dir });
  assert.match(list.stdout, /^ts_probe\s+ts_probe\s+files\s+low/m);

  symlinkSync(tempDir('autopack-elsewhere-'), join(repo.dir, 'linked'));
  const through = await runBin(['detectors', 'new', 'probe_two', '--dir', 'linked/sub', '--write'], { cwd: repo.dir });
  assert.is(through.code, 2);
  assert.match(through.stderr, /linked is a symlink: refusing to write through it/);
  const outside = await runBin(['detectors', 'new', 'probe_two', '--dir', '../elsewhere', '--write'], { cwd: repo.dir });
  assert.is(outside.code, 2);
  assert.match(outside.stderr, /--dir must name a folder inside the workspace/);
});

test.run();
