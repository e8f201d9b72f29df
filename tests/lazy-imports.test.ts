// A command imports only what it runs: the detectors it scans with, and no action handler unless
// it executes actions (the registry knows the built-ins from a generated index).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BIN, REPO_ROOT } from './helpers/cli.ts';
import { makeRepo, tempDir, testEnv } from './helpers/git-fixture.ts';

const HOOK = join(REPO_ROOT, 'tests/helpers/record-imports.mjs');

/** Every module URL a CLI run loaded. */
function modulesLoaded(args: string[], cwd: string): string[] {
  const record = join(tempDir(), 'imports.txt');
  try {
    execFileSync(process.execPath, ['--import', HOOK, BIN, ...args], { cwd, env: testEnv({ AUTOPACK_RECORD_IMPORTS: record }) as NodeJS.ProcessEnv, stdio: 'ignore' });
  } catch {
    // exit 1 (a blocking gap) is fine here: only the imports matter
  }
  return [...new Set(readFileSync(record, 'utf8').split('\n').filter(Boolean))];
}

/** The built-in detector and action modules a CLI run imported (`detectors/root-clutter`, `actions/rescan-gap`). */
function pluginsImported(args: string[], cwd: string): string[] {
  return modulesLoaded(args, cwd).flatMap((url) => /\/dist\/(?:cli\/)?((?:detectors|actions)\/[a-z-]+)\.js$/.exec(url)?.[1] ?? []).sort();
}

test('gaps scan --only imports that detector alone, and no action handler', () => {
  const repo = makeRepo({ files: { 'README.md': '# r\n' } });
  assert.equal(pluginsImported(['gaps', 'scan', '--only', 'root_clutter'], repo.dir), ['detectors/root-clutter']);
  const all = pluginsImported(['gaps', 'scan'], repo.dir);
  assert.ok(all.every((name) => name.startsWith('detectors/')), `a plain scan imports no action handler: ${all.join(', ')}`);
});

test('plan propose imports the detectors behind the report\'s gaps (their remediation) and no action handler', () => {
  const repo = makeRepo({ files: { 'README.md': '# r\n', 'config/baseline_policy.yaml': 'v: 1\n' }, worktree: { 'NOTES.md': 'n\n' } });
  execFileSync(process.execPath, [BIN, 'gaps', 'scan', '--write', '--only', 'root_clutter'], { cwd: repo.dir, env: testEnv() as NodeJS.ProcessEnv, stdio: 'ignore' });
  execFileSync(process.execPath, [BIN, 'anchor', 'init', '--write'], { cwd: repo.dir, env: testEnv() as NodeJS.ProcessEnv, stdio: 'ignore' });
  assert.equal(pluginsImported(['plan', 'propose'], repo.dir), ['detectors/root-clutter']);
});

test('a staged scan loads few modules: the CLI, two merged files and the detectors it runs, and no builtin as an ES module', () => {
  // A command's start is mostly how many modules node resolves, compiles and links: the bundle
  // merges what every command and every scan loads (scripts/bundle-cli.ts).
  const repo = makeRepo({ files: { 'README.md': '# r\n' } });
  const loaded = modulesLoaded(['gaps', 'scan', '--staged'], repo.dir);
  const own = loaded.filter((url) => url.includes('/dist/cli/')).map((url) => url.slice(url.indexOf('/dist/cli/') + 10));
  const detectors = own.filter((path) => path.startsWith('detectors/'));
  assert.ok(detectors.length >= 5, `the file detectors ran: ${detectors.join(', ')}`);
  assert.equal(own.filter((path) => !path.startsWith('detectors/')).sort(), ['bin/autopack.js', 'chunks/cli.js', 'chunks/scan.js']);
  assert.equal(loaded.filter((url) => url.startsWith('node:')), [], 'builtins are read with process.getBuiltinModule');
});

test('--version and actions list import no detector and no action handler', () => {
  const repo = makeRepo({ files: { 'README.md': '# r\n' } });
  assert.equal(pluginsImported(['--version'], repo.dir), []);
  assert.equal(pluginsImported(['actions', 'list'], repo.dir), []);
});

test('a scan or a staged scan without configured plugins loads none of the plugin-thread machinery', () => {
  const repo = makeRepo({ files: { 'README.md': '# r\n' } });
  const out = join(tempDir(), 'builtins.txt');
  const hook = `data:text/javascript,${encodeURIComponent("import { writeFileSync } from 'node:fs'; process.on('exit', () => writeFileSync(process.env.BUILTINS_OUT, process.moduleLoadList.join('\\n')));")}`;
  for (const args of [['gaps', 'scan'], ['gaps', 'scan', '--staged']]) {
    execFileSync(process.execPath, ['--import', hook, BIN, ...args], { cwd: repo.dir, env: testEnv({ BUILTINS_OUT: out }) as NodeJS.ProcessEnv, stdio: 'ignore' });
    const loaded = readFileSync(out, 'utf8').split('\n');
    assert.ok(loaded.length > 10, 'the list was recorded');
    assert.not.ok(loaded.includes('NativeModule worker_threads'), `${args.join(' ')} loaded node:worker_threads`);
  }
});

test.run();
