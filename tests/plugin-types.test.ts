// `autopack/plugin` as a plugin project sees it: the package export resolves to the built
// declarations, a TypeScript plugin type-checks with lib es2022 and no @types/node at all, and
// its test runs under plain node with testDetector from the built package.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REPO_ROOT } from './helpers/cli.ts';
import { tempDir, testEnv } from './helpers/git-fixture.ts';

const PLUGIN = `import { defineDetector, defineAction, testDetector, type Finding, type FileView } from 'autopack/plugin';

interface Options { marker: string }

export const detector = defineDetector<Options, number>({
  id: 'todo_marker',
  title: 'TODO markers',
  scope: 'files',
  messages: { found: { title: '{count} files with {marker}', params: ['count', 'marker'] } },
  inspect: {
    select: (path) => path.endsWith('.md'),
    read: () => 'all',
    inspect(file: FileView) {
      const bytes: Uint8Array | undefined = file.bytes;
      return bytes && file.text()?.includes('TODO') ? bytes.length : undefined;
    },
  },
  async detect(ctx) {
    const marker: string = ctx.options.marker;
    const hits: string[] = [];
    for (const path of await ctx.files()) if ((await ctx.readText(path))?.includes(marker)) hits.push(path);
    const head = await ctx.git.run(['rev-parse', 'HEAD']);
    if (head.exit_code !== 0) ctx.note('no commit yet');
    const sizes = (await ctx.inspected()).map((entry) => entry.verdict);
    const findings: Finding[] = hits.length > 0 ? [{ params: { count: hits.length, marker }, evidence: { file_paths: hits }, signals: [String(sizes.length)] }] : [];
    return findings;
  },
});

export const handler = defineAction({
  id: 'todo_report', title: 'TODO report', description: 'Lists the TODO gaps', action_types: ['verify'], effects: ['run_local_write'], verifies: ['todo_marker'],
  async run(ctx) {
    const written = await ctx.writeRunFile('todo.txt', ctx.gaps.map((gap) => gap.gap_id).join('\\n'));
    return { success: true, summary: written, written: ['todo.txt'] };
  },
});

export const checked: Promise<unknown> = testDetector(detector, { 'a.md': 'TODO\\n', 'b.md': { worktree: 'ok\\n' } }, [{ params: { count: 1, marker: 'TODO' } }], { options: { marker: 'TODO' } });
`;

function pluginProject(): string {
  const dir = tempDir('autopack-plugin-project-');
  mkdirSync(join(dir, 'node_modules'));
  // As `npm i -D autopack` leaves it (a link instead of a copy): the package export, then the built files.
  symlinkSync(REPO_ROOT, join(dir, 'node_modules', 'autopack'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'plugin-project', type: 'module', private: true }));
  writeFileSync(join(dir, 'plugin.ts'), PLUGIN);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', lib: ['es2022'], types: [], typeRoots: [], strict: true, noEmit: true, skipLibCheck: false },
      include: ['plugin.ts'],
    }),
  );
  return dir;
}

/** tsc on the project; its error lines. */
function typeCheck(dir: string, extra: string[] = []): { status: number | null; errors: string[]; output: string } {
  const run = spawnSync(join(REPO_ROOT, 'node_modules/.bin/tsc'), ['-p', dir, '--pretty', 'false', ...extra], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  const output = `${run.stdout}${run.stderr}${run.error ? String(run.error) : ''}`;
  return { status: run.status, errors: output.split('\n').filter((line) => /error TS\d+/.test(line)), output };
}

test('a TypeScript plugin type-checks against autopack/plugin with lib es2022 and no @types/node', () => {
  const dir = pluginProject();
  const tsc = join(REPO_ROOT, 'node_modules/.bin/tsc');
  // As most projects check (tsc --init sets skipLibCheck): clean.
  const usual = typeCheck(dir, ['--skipLibCheck']);
  assert.equal(usual.errors, []);
  assert.is(usual.status, 0, usual.output);
  // Every declaration checked too: autopack's are clean; only valibot's own name Blob and File (DOM and Node globals).
  const strict = typeCheck(dir);
  assert.equal(strict.errors.filter((line) => !line.includes('node_modules/valibot/')), []);
  // A declaration that needed Node's types would pull them in (a reference, an import of node:…) and still compile.
  const files = execFileSync(tsc, ['-p', dir, '--listFilesOnly'], { cwd: dir, encoding: 'utf8' }).split('\n');
  assert.ok(files.some((file) => file.endsWith('/dist/lib/plugin.d.ts')), 'autopack/plugin resolves to dist/lib/plugin.d.ts');
  assert.equal(files.filter((file) => file.includes('@types/')), [], 'no @types package is part of the program');
  // And a type error is still an error: the check is not vacuous.
  writeFileSync(join(dir, 'plugin.ts'), `${PLUGIN}\nexport const wrong = defineDetector({ id: 'x', title: 'X', detect: () => [{ inputs: 'a' }] });\n`);
  const bad = typeCheck(dir, ['--skipLibCheck']);
  assert.ok(bad.status !== 0, `tsc fails: ${bad.output}`);
  assert.ok(bad.errors.some((line) => /^plugin\.ts\(\d+,\d+\): error TS\d+/.test(line)), bad.output);
});

test('the same plugin runs under plain node: testDetector from the built package passes and fails as it should', () => {
  const dir = pluginProject();
  writeFileSync(
    join(dir, 'plugin.test.mjs'),
    `import { testDetector } from 'autopack/plugin';
const detector = { id: 'license_missing', title: 'No LICENSE file', async detect(ctx) { return (await ctx.files()).includes('LICENSE') ? [] : [{ evidence: { file_paths: ['LICENSE'] } }]; } };
await testDetector(detector, { 'README.md': '# r\\n' }, [{ message_id: 'default', file_paths: ['LICENSE'] }]);
await testDetector(detector, { LICENSE: 'MIT\\n' }, []);
await testDetector(detector, { LICENSE: 'MIT\\n' }, [{ file_paths: ['LICENSE'] }]);
`,
  );
  const run = spawnSync(process.execPath, ['plugin.test.mjs'], { cwd: dir, env: testEnv() as NodeJS.ProcessEnv, encoding: 'utf8' });
  assert.is(run.status, 1, run.stderr);
  assert.match(run.stderr, /AssertionError \[ERR_ASSERTION\]: testDetector\(license_missing\): the gaps differ from the expected ones \(1 expected gap\(s\) not found, 0 unexpected gap\(s\)\)/);
});

test.run();
