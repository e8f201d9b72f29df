// Plugins named by package load from the workspace's own node_modules: bare, scoped and subpath
// names through the package's exports, a clear error (with the install command) when missing,
// nothing from a node_modules above the workspace, and a package linked from outside loaded
// with its real path named in the report.
import { mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runBin } from './helpers/cli.ts';
import { makeRepo, tempDir, writeTree } from './helpers/git-fixture.ts';

const detector = (id: string) => `export default { id: '${id}', title: 'Found by ${id}', detect: () => [{ evidence: { file_paths: ['README.md'] } }] };\n`;

/** A package folder: package.json (ESM, with exports) and its modules. */
function packageFiles(name: string, exports: Record<string, string>, modules: Record<string, string>): Record<string, string> {
  const files: Record<string, string> = { [`${name}/package.json`]: JSON.stringify({ name, version: '1.0.0', type: 'module', exports }) };
  for (const [file, content] of Object.entries(modules)) files[`${name}/${file}`] = content;
  return files;
}

const inNodeModules = (files: Record<string, string>) => Object.fromEntries(Object.entries(files).map(([path, content]) => [`node_modules/${path}`, content]));

async function scan(dir: string) {
  const result = await runBin(['gaps', 'scan', '--fail-on', 'never'], { cwd: dir });
  return { ...result, report: result.code === 0 ? (JSON.parse(result.stdout) as { gaps: Array<{ detector: string; title: string }>; metadata: { notes: string[]; plugins_loaded: string[] } }) : undefined };
}

test('bare, scoped and subpath package names load from the workspace node_modules, through their exports', async () => {
  const repo = makeRepo({
    files: {
      'README.md': '# r\n',
      '.gitignore': 'node_modules/\n',
      'autopack.config.yaml': 'plugins: [autopack-plugin-x, "@acme/autopack-plugin", autopack-plugin-x/extra]\n',
      ...inNodeModules({
        ...packageFiles('autopack-plugin-x', { '.': './index.mjs', './extra': './extra.mjs' }, { 'index.mjs': detector('from_x'), 'extra.mjs': detector('from_x_extra') }),
        ...packageFiles('@acme/autopack-plugin', { '.': './main.mjs' }, { 'main.mjs': detector('from_acme') }),
      }),
    },
  });
  const { code, stderr, report } = await scan(repo.dir);
  assert.is(code, 0, stderr);
  const found = report!.gaps.filter((gap) => gap.detector.startsWith('from_')).map((gap) => gap.title).sort();
  assert.equal(found, ['Found by from_acme', 'Found by from_x', 'Found by from_x_extra']);
  assert.equal(report!.metadata.plugins_loaded, ['@acme/autopack-plugin', 'autopack-plugin-x', 'autopack-plugin-x/extra']);
  assert.equal(report!.metadata.notes.filter((note) => note.includes('linked')), [], 'nothing came from outside the workspace');
});

test('a package missing from the workspace node_modules is an error with the install command, even when a folder above has it', async () => {
  const repo = makeRepo({ name: 'shop', files: { 'README.md': '# r\n', 'autopack.config.yaml': 'plugins: [autopack-plugin-x]\n' } });
  // The folder around the workspace has the package: it must not count.
  writeTree(dirname(repo.dir), inNodeModules(packageFiles('autopack-plugin-x', { '.': './index.mjs' }, { 'index.mjs': detector('from_above') })));
  const result = await scan(repo.dir);
  assert.is(result.code, 2);
  assert.is(result.stdout, '');
  assert.match(result.stderr, new RegExp(`plugin 'autopack-plugin-x' is not installed in ${repo.dir.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/node_modules: npm i -D autopack-plugin-x`));
  // A subpath the package does not export names the package and what it lacks.
  repo.write({ 'autopack.config.yaml': 'plugins: [autopack-plugin-x/missing]\n', ...inNodeModules(packageFiles('autopack-plugin-x', { '.': './index.mjs' }, { 'index.mjs': detector('from_x') })) });
  const subpath = await scan(repo.dir);
  assert.is(subpath.code, 2);
  assert.match(subpath.stderr, /plugin 'autopack-plugin-x\/missing': autopack-plugin-x is installed in .*node_modules\/autopack-plugin-x but does not provide it/);
});

test('a package linked into node_modules from outside the workspace loads, and the report says where from', async () => {
  const outside = tempDir('autopack-linked-');
  writeTree(outside, packageFiles('autopack-plugin-linked', { '.': './index.mjs' }, { 'index.mjs': detector('from_linked') }));
  const repo = makeRepo({ files: { 'README.md': '# r\n', '.gitignore': 'node_modules/\n', 'autopack.config.yaml': 'plugins: [autopack-plugin-linked]\n' } });
  mkdirSync(join(repo.dir, 'node_modules'));
  symlinkSync(join(outside, 'autopack-plugin-linked'), join(repo.dir, 'node_modules', 'autopack-plugin-linked'));
  const { code, stderr, report } = await scan(repo.dir);
  assert.is(code, 0, stderr);
  assert.ok(report!.gaps.some((gap) => gap.detector === 'from_linked'));
  assert.ok(
    report!.metadata.notes.includes(`plugin autopack-plugin-linked loaded from ${join(outside, 'autopack-plugin-linked')} (linked into node_modules from outside the workspace)`),
    report!.metadata.notes.join('\n'),
  );
});

test('a path without ./ that names a file is a file plugin; one that names none says so', async () => {
  const repo = makeRepo({ files: { 'README.md': '# r\n', 'tools/x.mjs': detector('from_file'), 'autopack.config.yaml': 'plugins: [tools/x.mjs]\n' } });
  const { code, report } = await scan(repo.dir);
  assert.is(code, 0);
  assert.ok(report!.gaps.some((gap) => gap.detector === 'from_file'));
  repo.write({ 'autopack.config.yaml': 'plugins: [tools/y.mjs]\n' });
  const missing = await scan(repo.dir);
  assert.is(missing.code, 2);
  assert.match(missing.stderr, /Plugin file not found: tools\/y\.mjs \(resolved to .*tools\/y\.mjs\); as a package: plugin 'tools\/y\.mjs' is not installed/);
});

test.run();
