// The plugin registry: built-ins load by folder, configured plugins load (TypeScript by Node's
// type stripping or through tsx, packages from the workspace), and bad plugins are clear errors
// naming the file.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_GAP_TYPES } from '../lib/contracts/gap-report.ts';
import { validateArtifact } from '../lib/contracts/artifacts.ts';
import { scanGaps } from '../lib/gaps/scan-gaps.ts';
import { knownGapTypes, loadRegistry } from '../lib/registry/load.ts';
import { AutopackError } from '../lib/util/errors.ts';
import { REPO_ROOT, runInProcess } from './helpers/cli.ts';
import { makeRepo, testEnv } from './helpers/git-fixture.ts';

const LIB_INDEX = pathToFileURL(join(REPO_ROOT, 'lib/index.ts')).href;

const todoDetector = `
import type { DetectorDefinition, DetectorContext } from ${JSON.stringify(LIB_INDEX)};
interface Options { marker: string }
const detector: DetectorDefinition<Options> = {
  id: 'todo_marker',
  gap_type: 'todo_marker',
  title: 'TODO markers',
  description: 'Files with TODO markers',
  scope: 'files',
  default: { risk: 'low', blocks_autopilot: false },
  messages: { found: { title: '{count} files with {marker}', params: ['count', 'marker'], description: 'd', signals: ['s'], remediation: 'r' } },
  async detect(ctx: DetectorContext<Options>) {
    const marker: string = (ctx.options as Options | undefined)?.marker ?? 'TODO';
    const hits: string[] = [];
    for (const path of await ctx.files()) {
      const bytes = await ctx.readFile(path);
      if (bytes && bytes.toString('utf8').includes(marker)) hits.push(path);
    }
    return hits.length ? [{ inputs: hits, params: { count: hits.length, marker }, evidence: { file_paths: hits } }] : [];
  },
};
export default detector;
`;

const withDefine = `
import { defineDetector, defineAction } from ${JSON.stringify(LIB_INDEX)};
export default [
  defineDetector({
    id: 'always_one', gap_type: 'always_one', title: 'Always', description: 'd', scope: 'repo',
    default: { risk: 'info', blocks_autopilot: false },
    messages: { one: { title: 'one', description: 'd', signals: [], remediation: 'r' } },
    detect: () => [{ inputs: ['x'] }],
  }),
  defineAction({ id: 'echo_check', title: 'Echo', description: 'd', action_types: ['verify'], effects: ['read_only'], run: async () => ({ success: true, summary: 'ok' }) }),
];
`;

function workspaceWith(files: Record<string, string>, config: string) {
  return makeRepo({ files: { 'README.md': '# TODO: write\n', 'autopack.config.yaml': config, ...files } });
}

async function registryError(files: Record<string, string>, plugins: string[]): Promise<string> {
  const repo = workspaceWith(files, `plugins: ${JSON.stringify(plugins)}\n`);
  try {
    await scanGaps({ workspace: repo.dir, cwd: repo.dir, env: testEnv() });
  } catch (error) {
    assert.ok(error instanceof AutopackError, `an AutopackError, got ${String(error)}`);
    return (error as Error).message;
  }
  throw new Error('expected a registry error');
}

test('built-in detectors load from the generated index, one per file of detectors/', async () => {
  const registry = await loadRegistry();
  assert.equal([...registry.detectors.keys(), 'unknown'].sort(), [...DEFAULT_GAP_TYPES]);
  for (const entry of registry.detectors.values()) {
    assert.ok(entry.builtin);
    assert.match(entry.source, new RegExp(`^detectors/${(await entry.load()).id.replace(/_/g, '-')}$`));
  }
  assert.equal(knownGapTypes(registry), [...DEFAULT_GAP_TYPES]);
});

test('a TypeScript plugin from the config loads (type stripping or tsx), takes options, and its gap type validates', async () => {
  const repo = workspaceWith(
    { 'tools/autopack/todo-detector.ts': todoDetector },
    'plugins: [./tools/autopack/todo-detector.ts]\ndetectors:\n  todo_marker: { options: { marker: "TODO:" } }\n',
  );
  const { report, workspace } = await scanGaps({ workspace: repo.dir, cwd: repo.dir, env: testEnv(), only: ['todo_marker'] });
  assert.ok(workspace.registry.detectors.get('todo_marker'));
  assert.is(report.gaps.length, 1);
  assert.is(report.gaps[0]!.title, '2 files with TODO:');
  assert.equal(report.gaps[0]!.evidence!.file_paths, ['README.md', 'autopack.config.yaml']);
  assert.ok(validateArtifact('gap_report_v1', report, { gapTypes: knownGapTypes(workspace.registry) }).ok);
  assert.not.ok(validateArtifact('gap_report_v1', report).ok, 'unknown to the built-in schema');
});

test('defineDetector / defineAction plugins exporting an array; actions appear in `actions list`', async () => {
  const repo = workspaceWith({ 'plugins/many.ts': withDefine }, 'plugins: [plugins/many.ts]\n');
  const list = await runInProcess(['actions', 'list', '--format', 'json'], { cwd: repo.dir });
  assert.is(list.code, 0, list.stderr);
  const actions = JSON.parse(list.stdout) as Array<{ id: string; effects: string[]; builtin: boolean }>;
  const echo = actions.find((a) => a.id === 'echo_check');
  assert.equal(echo, { ...echo!, effects: ['read_only'], builtin: false });
  const detectors = await runInProcess(['detectors', 'list'], { cwd: repo.dir });
  assert.match(detectors.stdout, /^always_one\s+always_one\s+repo\s+info\s+no\s+yes\s+plugins\/many\.ts$/m);
});

test('a plugin package resolves from the workspace node_modules', async () => {
  const repo = workspaceWith(
    {
      'node_modules/autopack-plugin-licenses/package.json': JSON.stringify({ name: 'autopack-plugin-licenses', type: 'module', exports: './index.js' }),
      'node_modules/autopack-plugin-licenses/index.js': `export default {
        id: 'license_missing', gap_type: 'license_missing', title: 'License', description: 'd', scope: 'files',
        default: { risk: 'medium', blocks_autopilot: false },
        messages: { missing: { title: 'No LICENSE file', description: 'd', signals: [], remediation: 'add one' } },
        async detect(ctx) { return (await ctx.files()).includes('LICENSE') ? [] : [{ inputs: ['LICENSE'] }]; },
      };`,
    },
    'plugins: [autopack-plugin-licenses]\n',
  );
  const { report } = await scanGaps({ workspace: repo.dir, cwd: repo.dir, env: testEnv(), only: ['license_missing'] });
  assert.equal(report.gaps.map((gap) => gap.title), ['No LICENSE file']);
});

test('a minimal detector needs only id, title and detect: the rest has defaults', async () => {
  const repo = workspaceWith({ 'minimal.mjs': 'export default { id: "todo_left", title: "TODO left behind", detect: () => [{ inputs: ["a.md"], evidence: { file_paths: ["a.md"] } }] };\n' }, 'plugins: [./minimal.mjs]\n');
  const { report } = await scanGaps({ workspace: repo.dir, cwd: repo.dir, env: testEnv(), only: ['todo_left'] });
  assert.equal(report.gaps.map((gap) => [gap.gap_type, gap.detector, gap.message_id, gap.title, gap.risk_classification, gap.blocks_autopilot]), [
    ['todo_left', 'todo_left', 'default', 'TODO left behind', 'medium', false],
  ]);
});

test('bad plugins are errors that name the file and what is wrong', async () => {
  assert.match(await registryError({}, ['./nope.ts']), /Plugin file not found: \.\/nope\.ts/);
  assert.match(await registryError({}, ['no-such-plugin-package']), /plugin 'no-such-plugin-package' is not installed in .*\/node_modules: npm i -D no-such-plugin-package/);
  assert.match(await registryError({ 'p.ts': 'export const x = 1;\n' }, ['./p.ts']), /\.\/p\.ts: does not export a plugin/);
  assert.match(await registryError({ 'p.ts': 'export default { id: "x" };\n' }, ['./p.ts']), /\.\/p\.ts: default export is not a detector or an action/);
  const invalid = await registryError({ 'p.ts': 'export default { id: "Bad-Id", gap_type: "x", detect: 1 };\n' }, ['./p.ts']);
  assert.match(invalid, /\.\/p\.ts: not a valid detector/);
  assert.match(invalid, /\$\.id: Value 'Bad-Id' does not match pattern/);
  assert.match(invalid, /\$\.detect: Expected type 'function'/);
  assert.match(await registryError({ 'p.ts': 'export default { id: "x", title: "X", messages: { m: { title: "{count" } }, detect: () => [] };\n' }, ['./p.ts']), /\$\.messages\.m\.title: has an unbalanced \{ or \}/);
  assert.match(await registryError({ 'p.ts': 'export default {{{ syntax\n' }, ['./p.ts']), /\.\/p\.ts: cannot load plugin/);
  const action = await registryError({ 'a.ts': 'export default { id: "x", title: "t", description: "d", action_types: ["verify"], effects: ["delete_everything"], run() {} };\n' }, ['./a.ts']);
  assert.match(action, /\.\/a\.ts: not a valid action[\s\S]*effects\[0\]/);
});

test('a duplicate id is an error naming both sources', async () => {
  const dup = todoDetector.replace(/'todo_marker'/g, "'root_clutter'");
  const message = await registryError({ 'dup.ts': dup }, ['./dup.ts']);
  assert.match(message, /\.\/dup\.ts: duplicate detector id 'root_clutter' \(already defined by detectors\/root-clutter\)/);
  const twice = await registryError({ 't.ts': todoDetector }, ['./t.ts', './t.ts']);
  assert.match(twice, /duplicate detector id 'todo_marker'/);
});

test('the CLI turns a bad plugin into exit 2 with one message and no stack trace', async () => {
  const repo = workspaceWith({ 'p.ts': 'export default { id: "x" };\n' }, 'plugins: [./p.ts]\n');
  const result = await runInProcess(['gaps', 'scan'], { cwd: repo.dir });
  assert.is(result.code, 2);
  assert.is(result.stdout, '');
  assert.match(result.stderr, /autopack: \.\/p\.ts: default export is not a detector/);
  assert.not.match(result.stderr, /at .*\.ts:\d+/);
});

test.run();
