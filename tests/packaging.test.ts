// The package as users get it: `npm pack` in a clone builds dist/ (prepack) and packs only what
// runs; the tarball installs into a fresh project without a warning and without tsx; its bin
// scans a repository, also as the README's npx one-shot; init's $schema path resolves there; and
// plugins load without tsx (.mjs, packages, TypeScript where Node strips types, else a clear error).
//
// Network: the tarball's dependencies come from npm's cache when they are in it (--prefer-offline),
// else from the npm registry; nothing else is fetched.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REPO_ROOT } from './helpers/cli.ts';
import { makeRepo, tempDir, testEnv } from './helpers/git-fixture.ts';

const SHIPPED = /^(dist\/.+|docs\/schemas\/[^/]+\.schema\.json|config\/.+|README\.md|LICENSE|package\.json)$/;

/** The environment of npm and of the installed CLI: the fixture's, without the npm_* settings of an `npm test` around us. */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const base = testEnv({ NO_COLOR: '1', ...extra });
  for (const key of Object.keys(base)) if (/^npm_/i.test(key)) delete base[key];
  return base as NodeJS.ProcessEnv;
}

function run(command: string, args: readonly string[], cwd: string, options: { extraEnv?: Record<string, string>; timeoutMs?: number } = {}) {
  const result = spawnSync(command, [...args], { cwd, env: env(options.extraEnv), encoding: 'utf8', timeout: options.timeoutMs ?? 60_000 });
  return { code: result.status ?? -1, stdout: result.stdout ?? '', stderr: `${result.stderr ?? ''}${result.error ? String(result.error) : ''}` };
}

const npmWarnings = (stderr: string) => stderr.split('\n').filter((line) => /^npm (warn|WARN|error|ERR)/.test(line));

/** A clone's files (tracked and untracked, not ignored: no dist/), with the clone's node_modules for the build tools. */
function cloneLikeCopy(): string {
  const copy = join(tempDir('autopack-pack-'), 'autopack');
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.is(listed.status, 0, listed.stderr);
  // node_modules and dist/ never come from the clone's files (a symlinked node_modules is not ignored by `/node_modules/`).
  const files = listed.stdout.split('\0').filter((p) => p !== '' && !/^(node_modules|dist)(\/|$)/.test(p) && existsSync(join(REPO_ROOT, p)));
  for (const path of files) {
    mkdirSync(dirname(join(copy, path)), { recursive: true });
    cpSync(join(REPO_ROOT, path), join(copy, path));
  }
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(copy, 'node_modules'));
  return copy;
}

// One pack and one install for every test below.
const work = tempDir('autopack-packaging-');
const source = cloneLikeCopy();
assert.not.ok(existsSync(join(source, 'dist')), 'the copy starts without dist/, as a clone does');
const packed = run('npm', ['pack', '--json', '--pack-destination', work], source, { timeoutMs: 120_000 });
const packInfo = packed.code === 0 ? (JSON.parse(packed.stdout) as Array<{ filename: string; size: number; files: Array<{ path: string }> }>)[0]! : undefined;
const tarball = packInfo ? join(work, packInfo.filename) : '';
const project = join(work, 'project');
mkdirSync(project);
writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'fresh-project', version: '1.0.0', private: true }, null, 2)}\n`);
const installed = tarball ? run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], project, { timeoutMs: 120_000 }) : { code: -1, stdout: '', stderr: 'not packed' };
const bin = join(project, 'node_modules', '.bin', 'autopack');
const entry = join(project, 'node_modules', 'autopack', 'dist', 'cli', 'bin', 'autopack.js');

test('npm pack builds dist/ from a clone (prepack) and packs only the built CLI and library, schemas, config, README and LICENSE', () => {
  assert.is(packed.code, 0, packed.stderr);
  const files = packInfo!.files.map((file) => file.path).sort();
  assert.equal(files.filter((path) => !SHIPPED.test(path)), [], 'nothing beyond what runs');
  for (const needed of ['LICENSE', 'README.md', 'package.json', 'dist/cli/bin/autopack.js', 'dist/lib/index.js', 'dist/lib/index.d.ts', 'docs/schemas/config.schema.json', 'config/models.yaml']) {
    assert.ok(files.includes(needed), needed);
  }
  assert.ok(packInfo!.size < 1_000_000, `the tarball is ${packInfo!.size} bytes`);
  const manifest = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as { scripts: Record<string, string>; dependencies: Record<string, string>; peerDependenciesMeta: Record<string, { optional: boolean }> };
  assert.not.ok('prepare' in manifest.scripts, 'no prepare script: it would ship, and npm flags it at every install');
  assert.not.ok('tsx' in manifest.dependencies, 'tsx is no runtime dependency');
  assert.equal(manifest.peerDependenciesMeta.tsx, { optional: true });
});

test('the tarball installs into a fresh project without a warning, and without tsx or esbuild', () => {
  assert.is(installed.code, 0, installed.stderr);
  assert.equal(npmWarnings(installed.stderr), [], installed.stderr);
  const modules = readdirSync(join(project, 'node_modules'));
  for (const absent of ['tsx', 'esbuild', 'typescript']) assert.not.ok(modules.includes(absent), `${absent} is not installed`);
  assert.ok(existsSync(bin));
});

test('the installed bin scans a git repository, and the README one-shot (npx --package <tarball>) does too', () => {
  const repo = makeRepo({ files: { 'README.md': '# fixture\n' }, worktree: { 'NOTES.md': 'scratch\n' } });
  const scan = run(bin, ['gaps', 'scan', '--format', 'text'], repo.dir);
  assert.is(scan.code, 0, scan.stderr);
  assert.match(scan.stdout, /root_clutter-[0-9a-f]{12}\s+Root clutter: 1 files should be in docs\//);
  assert.match(scan.stderr, /1 gap \(/, 'the counts on stderr');
  assert.is(run(bin, ['--version'], repo.dir).stdout, `${JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version}\n`);
  // npx keeps what it installs in <cache>/_npx/<hash>: the entry this run adds is removed after it.
  const npxCache = join(run('npm', ['config', 'get', 'cache'], repo.dir).stdout.trim(), '_npx');
  const before = new Set(existsSync(npxCache) ? readdirSync(npxCache) : []);
  try {
    const oneShot = run('npx', ['--yes', '--prefer-offline', '--package', tarball, 'autopack', 'gaps', 'scan', '--format', 'text'], repo.dir, { timeoutMs: 120_000 });
    assert.is(oneShot.code, 0, oneShot.stderr);
    assert.is(oneShot.stdout, scan.stdout, 'the same report as the installed bin');
    assert.equal(npmWarnings(oneShot.stderr), [], oneShot.stderr);
    // What the README warns about: the tarball given as the command is taken for a program of
    // node_modules/.bin (an absolute path resolves to itself there), and npx executes the tarball.
    const bare = run('npx', ['--yes', tarball, '--version'], repo.dir);
    assert.is(bare.code, 126, bare.stderr);
    assert.match(bare.stderr, /autopack-[\d.]+\.tgz: Permission denied/);
  } finally {
    for (const name of existsSync(npxCache) ? readdirSync(npxCache) : []) if (!before.has(name)) rmSync(join(npxCache, name), { recursive: true, force: true });
  }
});

test("init in the installed project: its $schema path resolves to the installed schema, and the config validates", () => {
  const init = run(bin, ['init', '--write', '--format', 'json'], project);
  assert.is(init.code, 0, init.stderr);
  const config = JSON.parse(readFileSync(join(project, 'autopack.config.json'), 'utf8')) as { $schema: string };
  assert.is(config.$schema, './node_modules/autopack/docs/schemas/config.schema.json');
  const schema = JSON.parse(readFileSync(join(project, config.$schema), 'utf8')) as { title: string; properties: Record<string, unknown> };
  assert.is(schema.title, 'AutopackConfig');
  assert.ok('$schema' in schema.properties);
  assert.is(run(bin, ['validate', 'autopack.config.json'], project).code, 0);
  rmSync(join(project, 'autopack.config.json'));
});

test('without tsx: .mjs and package plugins load; a TypeScript plugin loads where Node strips types, else a clear error naming it', () => {
  const repo = makeRepo({
    files: {
      'README.md': '# TODO: fixture\n',
      'autopack.config.yaml': 'plugins: [./tools/todo.ts, ./tools/marker.mjs, autopack-plugin-licenses]\n',
      'tools/todo.ts': [
        'interface Hit { path: string }',
        'const limit: number = 1;',
        'export default {',
        "  id: 'todo_marker', title: 'TODO markers',",
        '  async detect(ctx: { files(): Promise<readonly string[]> }): Promise<Array<{ inputs: string[] }>> {',
        "    const hits: Hit[] = (await ctx.files()).filter((path) => path.endsWith('.md')).map((path) => ({ path }));",
        '    return hits.length >= limit ? [{ inputs: hits.map((hit) => hit.path) }] : [];',
        '  },',
        '};',
        '',
      ].join('\n'),
      'tools/marker.mjs': "export default { id: 'marker_seen', title: 'Marker', detect: () => [{ inputs: ['README.md'] }] };\n",
      'node_modules/autopack-plugin-licenses/package.json': JSON.stringify({ name: 'autopack-plugin-licenses', type: 'module', exports: './index.js' }),
      'node_modules/autopack-plugin-licenses/index.js': "export default { id: 'license_missing', title: 'No LICENSE', detect: async (ctx) => ((await ctx.files()).includes('LICENSE') ? [] : [{ inputs: ['LICENSE'] }]) };\n",
    },
  });
  // Run by this test's own Node (whose type stripping is judged below), not the `node` on PATH.
  const cli = (args: string[]) => run(process.execPath, [entry, ...args], repo.dir);
  const javascript = cli(['gaps', 'scan', '--only', 'marker_seen,license_missing', '--format', 'json']);
  const stripsTypes = Boolean((process.features as { typescript?: string | false }).typescript);
  if (stripsTypes) {
    assert.is(javascript.code, 0, javascript.stderr);
    assert.equal((JSON.parse(javascript.stdout) as { gaps: Array<{ detector: string }> }).gaps.map((gap) => gap.detector).sort(), ['license_missing', 'marker_seen']);
    const typescript = cli(['gaps', 'scan', '--only', 'todo_marker', '--format', 'text']);
    assert.is(typescript.code, 0, typescript.stderr);
    assert.match(typescript.stdout, /todo_marker-[0-9a-f]{12}\s+TODO markers/, "Node's own type stripping loaded it");
    // The same Node with stripping turned off: the error path, for real.
    const off = run(process.execPath, ['--no-experimental-strip-types', entry, 'gaps', 'scan'], repo.dir);
    assert.is(off.code, 2);
    assert.match(off.stderr, /autopack: \.\/tools\/todo\.ts: a TypeScript plugin, and Node v[\d.]+ cannot load TypeScript by itself/);
    assert.match(off.stderr, /type stripping is turned off/);
    assert.match(off.stderr, /hint: install tsx as a devDependency of the project \(npm i -D tsx\), or turn type stripping back on, or write the plugin as \.mjs/);
  } else {
    // Every plugin of the config loads before a scan: the TypeScript one stops this Node first.
    assert.is(javascript.code, 2);
    const message = javascript.stderr;
    assert.match(message, /autopack: \.\/tools\/todo\.ts: a TypeScript plugin, and Node v[\d.]+ cannot load TypeScript by itself/);
    assert.match(message, /Node 22\.18 and later strip types themselves/);
    assert.match(message, /hint: install tsx as a devDependency of the project \(npm i -D tsx\), or run Node 22\.18 or later, or write the plugin as \.mjs/);
    assert.not.match(message, /\n\s+at /, 'no stack trace');
    assert.is(javascript.stdout, '');
    repo.write({ 'autopack.config.yaml': 'plugins: [./tools/marker.mjs, autopack-plugin-licenses]\n' });
    const withoutTs = cli(['gaps', 'scan', '--only', 'marker_seen,license_missing', '--format', 'json']);
    assert.is(withoutTs.code, 0, withoutTs.stderr);
    assert.equal((JSON.parse(withoutTs.stdout) as { gaps: Array<{ detector: string }> }).gaps.map((gap) => gap.detector).sort(), ['license_missing', 'marker_seen']);
  }
});

test.run();
