// `autopack init`: prints a starter config that loads as it is, creates it only with --write,
// at the repository's top level, atomically, and never over a config that is already there.
import { mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse as parseYaml } from 'yaml';
import { COMMANDS } from '../lib/cli/commands.ts';
import { optionsOf } from '../lib/cli/program.ts';
import { INSTALLED_SCHEMA_PATH, schemaReference } from '../lib/config/init-config.ts';
import { loadConfig } from '../lib/config/load-config.ts';
import { createFileAtomic } from '../lib/fs/atomic-write.ts';
import { REPO_ROOT, runBin } from './helpers/cli.ts';
import { makeRepo, snapshotTree, tempDir } from './helpers/git-fixture.ts';

const YAML_MODELINE = `# yaml-language-server: $schema=${INSTALLED_SCHEMA_PATH}`;
const gapIds = (stdout: string) => (JSON.parse(stdout) as { gaps: Array<{ gap_id: string }> }).gaps.map((gap) => gap.gap_id);

test('without --write it prints a commented starter config that is valid as printed, and writes nothing', async () => {
  const repo = makeRepo({ files: { 'README.md': '# shop\n', 'src/app/main.js': 'x\n' } });
  const before = snapshotTree(repo.dir);
  const result = await runBin(['init'], { cwd: join(repo.dir, 'src/app') });
  assert.is(result.code, 0, result.stderr);
  assert.equal(snapshotTree(repo.dir), before, 'nothing written');
  assert.match(result.stderr, /Nothing written: .*pass --write/);
  const lines = result.stdout.split('\n');
  assert.is(lines[0], YAML_MODELINE, 'the first line is the schema reference editors read');
  for (const key of ['fail_on: blocker', 'protected_paths: []', 'exclude: []']) assert.ok(lines.some((line) => line.startsWith(key)), key);
  for (const example of ['# checks:', '#   doc_drift:', '# detectors:', '# project_id:']) assert.ok(lines.includes(example) || lines.some((line) => line.startsWith(example)), example);
  // Uncommented, the examples load too: they are real config, not prose.
  const uncommented = lines.map((line) => line.replace(/^# ?(?=(project_id|checks|detectors):|  )/, '')).join('\n');
  repo.write({ 'elsewhere/autopack.config.yaml': uncommented });
  const examples = await runBin(['validate', 'elsewhere/autopack.config.yaml'], { cwd: repo.dir });
  assert.is(examples.code, 0, `${examples.stdout}${examples.stderr}\n${uncommented}`);
  assert.ok((parseYaml(uncommented) as { checks?: unknown }).checks, 'the checks example was uncommented');
});

test('--write creates it at the top level of the repository; it validates, loads, and a scan finds nothing new', async () => {
  const repo = makeRepo({ files: { 'README.md': '# shop\n', 'src/main.js': 'x\n' } });
  const scanBefore = await runBin(['gaps', 'scan', '--no-checks'], { cwd: repo.dir });
  const printed = await runBin(['init'], { cwd: join(repo.dir, 'src') });
  const result = await runBin(['init', '--write'], { cwd: join(repo.dir, 'src') });
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stderr, /Wrote \.\.\/autopack\.config\.yaml; check it with `autopack validate \.\.\/autopack\.config\.yaml`/);
  assert.is(repo.read('autopack.config.yaml'), result.stdout, 'the file is what it printed');
  assert.is(result.stdout, printed.stdout, 'and what it prints without --write');
  assert.equal(readdirSync(repo.dir).filter((name) => name.endsWith('.tmp')), [], 'no temp file left behind');
  const validated = await runBin(['validate', 'autopack.config.yaml'], { cwd: repo.dir });
  assert.is(validated.code, 0, validated.stdout + validated.stderr);
  const loaded = await loadConfig({ workspace: repo.dir, cwd: repo.dir });
  assert.equal(loaded.config, { fail_on: 'blocker', protected_paths: [], exclude: [] });
  const scanAfter = await runBin(['gaps', 'scan', '--no-checks'], { cwd: repo.dir });
  assert.is(scanAfter.code, scanBefore.code, scanAfter.stderr);
  assert.equal(gapIds(scanAfter.stdout), gapIds(scanBefore.stdout), 'the new config file is no gap of its own');
});

test('--format json: autopack.config.json with the $schema key, which loading and validate accept', async () => {
  const repo = makeRepo({ files: { 'README.md': '# shop\n' } });
  const result = await runBin(['init', '--write', '--format', 'json'], { cwd: repo.dir });
  assert.is(result.code, 0, result.stderr);
  assert.equal(JSON.parse(repo.read('autopack.config.json')), { $schema: INSTALLED_SCHEMA_PATH, fail_on: 'blocker', protected_paths: [], exclude: [] });
  assert.is((await runBin(['validate', 'autopack.config.json'], { cwd: repo.dir })).code, 0);
  const scan = await runBin(['gaps', 'scan', '--no-checks', '--format', 'text'], { cwd: repo.dir });
  assert.is(scan.code, 0, scan.stderr);
  const bad = await runBin(['init', '--format', 'toml'], { cwd: repo.dir });
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /--format toml: expected one of yaml, json/);
});

test('an existing config of any name (a dangling symlink too) is never replaced: exit 2 naming it, nothing printed or written', async () => {
  for (const name of ['autopack.config.yaml', 'autopack.config.yml', 'autopack.config.json']) {
    const repo = makeRepo({ files: { 'README.md': '# shop\n', [name]: name.endsWith('json') ? '{"fail_on": "high"}\n' : 'fail_on: high # mine\n' } });
    const before = snapshotTree(repo.dir);
    for (const args of [['init'], ['init', '--write'], ['init', '--write', '--format', 'json'], ['init', '--write', '--format', 'yaml']]) {
      const result = await runBin(args, { cwd: repo.dir });
      assert.is(result.code, 2, `${name} ${args.join(' ')}`);
      assert.is(result.stdout, '');
      assert.match(result.stderr, new RegExp(`autopack: ${name.replace(/\./g, '\\.')} already exists in .*: autopack init never replaces a config`));
      assert.not.match(result.stderr, /\n\s+at /, 'no stack trace');
      assert.equal(snapshotTree(repo.dir), before, `${name}: untouched, and no second config beside it`);
    }
  }
  const dangling = makeRepo({ files: { 'README.md': '# shop\n' } });
  symlinkSync('/nonexistent/autopack.yaml', join(dangling.dir, 'autopack.config.yml'));
  const result = await runBin(['init', '--write'], { cwd: dangling.dir });
  assert.is(result.code, 2);
  assert.match(result.stderr, /autopack\.config\.yml already exists/);
  assert.is(readlinkSync(join(dangling.dir, 'autopack.config.yml')), '/nonexistent/autopack.yaml');
});

test('the no-clobber write: a file (or symlink) that is already there is an EEXIST error and stays as it was', async () => {
  const dir = tempDir();
  const target = join(dir, 'autopack.config.yaml');
  await createFileAtomic(target, 'fail_on: high\n');
  assert.is(readFileSync(target, 'utf8'), 'fail_on: high\n');
  let code: string | undefined;
  await createFileAtomic(target, 'fail_on: never\n').catch((error: NodeJS.ErrnoException) => (code = error.code));
  assert.is(code, 'EEXIST');
  assert.is(readFileSync(target, 'utf8'), 'fail_on: high\n');
  const link = join(dir, 'link.yaml');
  symlinkSync(join(dir, 'missing.yaml'), link);
  code = undefined;
  await createFileAtomic(link, 'x\n').catch((error: NodeJS.ErrnoException) => (code = error.code));
  assert.is(code, 'EEXIST', 'a dangling symlink is not written through');
  assert.equal(readdirSync(dir).sort(), ['autopack.config.yaml', 'link.yaml'], 'no temp files, nothing created behind the link');
});

test('the $schema reference: the running autopack inside the workspace, else where a devDependency puts it; never absolute', () => {
  const root = '/work/shop';
  assert.is(schemaReference(root, '/work/shop/node_modules/autopack/'), './node_modules/autopack/docs/schemas/config.schema.json');
  assert.is(schemaReference('/work/mono', '/work/mono/node_modules/autopack/'), './node_modules/autopack/docs/schemas/config.schema.json');
  assert.is(schemaReference(root, '/work/shop/'), './docs/schemas/config.schema.json', 'a clone of autopack itself');
  assert.is(schemaReference(root, '/home/me/.npm/_npx/1a2b/node_modules/autopack/'), INSTALLED_SCHEMA_PATH, 'a one-shot from the npx cache');
  assert.is(schemaReference(root, '/opt/autopack/'), INSTALLED_SCHEMA_PATH, 'an autopack outside the workspace');
  assert.is(schemaReference(REPO_ROOT), './docs/schemas/config.schema.json');
  const published = JSON.parse(readFileSync(join(REPO_ROOT, 'docs/schemas/config.schema.json'), 'utf8'));
  assert.equal(published.properties.$schema, { type: 'string', description: published.properties.$schema.description }, 'the published schema allows $schema');
  assert.is(published.additionalProperties, false, 'and nothing else unknown');
});

test('docs/CLI.md documents init with exactly its flags', () => {
  const cli = readFileSync(join(REPO_ROOT, 'docs/CLI.md'), 'utf8');
  const start = cli.indexOf('\n## autopack init\n');
  assert.ok(start >= 0, 'a section for init');
  const rest = cli.slice(start + 1);
  const body = rest.slice(0, rest.indexOf('\n## ', 3));
  const declared = optionsOf(COMMANDS.find((command) => command.name === 'init')!).flatMap((option) => option.flag.split(/[ ,]+/).filter((part) => part.startsWith('--')));
  for (const flag of declared) assert.ok(body.includes(`| \`${flag}`), `${flag} documented`);
  for (const flag of new Set(body.match(/--[a-z][a-z-]*/g) ?? [])) assert.ok(declared.includes(flag), `docs mention ${flag}, which init does not have`);
});

// Outside a repository the folder itself is the workspace.
test('a plain folder (no git) gets its config in that folder', async () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'project'));
  writeFileSync(join(dir, 'project', 'README.md'), '# p\n');
  const result = await runBin(['init', '--write', '--workspace', 'project'], { cwd: dir });
  assert.is(result.code, 0, result.stderr);
  assert.ok(readFileSync(join(dir, 'project', 'autopack.config.yaml'), 'utf8').startsWith(YAML_MODELINE));
});

test.run();
